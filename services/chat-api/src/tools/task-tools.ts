import type { Static, TObject, TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { AppError, DATE_TIME_PATTERN, describeSchemaErrors, TaskCreateBody, TaskPatchBody } from "@todo/common";
import { t } from "elysia";
import { TaskListQuerySchema } from "../tasks/task-schemas.ts";
import type { TaskService } from "../tasks/task-service.ts";
import { takeWriteOrThrow, type WriteRateLimiter } from "../http/rate-limit.ts";

export type ToolName =
  | "add_task"
  | "list_tasks"
  | "get_task"
  | "update_task"
  | "complete_task"
  | "reopen_task"
  | "delete_task"
  | "set_reminder"
  | "set_recurrence";

/**
 * One operation on the caller's tasks, shared by the MCP server and the chat
 * assistant. `input` is a TypeBox schema whose JSON Schema is the tool's input
 * schema; `run` checks the input against it (400 AppError) and then calls the
 * same TaskService as the REST routes, so validation and events are identical.
 * A tool that writes spends one write of the caller's budget from the same
 * limiter as REST (429 `rate_limited`), so no path writes faster than another:
 * not MCP, not a JSON-RPC batch of calls, not the chat assistant.
 */
export interface TaskTool {
  name: ToolName;
  description: string;
  input: TSchema;
  /** True when a call may change tasks (and so spends a write). */
  writes: boolean;
  run(userId: string, input: unknown): Promise<unknown>;
}

const TaskId = t.String({ description: "Task id (UUID), as returned by add_task or list_tasks" });
const WithId = t.Object({ id: TaskId }, { additionalProperties: false });

const UpdateInput = t.Object(
  { id: TaskId, ...TaskPatchBody.properties },
  { additionalProperties: false, description: "Fields to change; null clears dueAt, remindAt or recurrence" },
);

const ReminderInput = t.Object(
  {
    id: TaskId,
    remindAt: t.Nullable(
      t.String({ pattern: DATE_TIME_PATTERN, description: "When to remind (ISO 8601 with offset), or null to clear the reminder" }),
    ),
  },
  { additionalProperties: false },
);

const RecurrenceInput = t.Object(
  {
    id: TaskId,
    recurrence: t.Nullable(t.String({ description: "RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=MO, or null to stop repeating" })),
    dueAt: t.Optional(
      t.String({ pattern: DATE_TIME_PATTERN, description: "Anchor of the series (ISO 8601 with offset); needed when the task has no due date" }),
    ),
  },
  { additionalProperties: false },
);

/** Checks `input` against `schema` the way the REST body check does: a 400 that names the offending paths. */
function parseInput<S extends TObject>(schema: S, input: unknown): Static<S> {
  if (Value.Check(schema, input)) return input;
  const details = [...Value.Errors(schema, input)].slice(0, 10).map((error) => ({ path: error.path || "/", message: error.message }));
  throw new AppError(400, "invalid_request", describeSchemaErrors(schema, input) || "invalid tool input", details);
}

const READ_ONLY: readonly ToolName[] = ["list_tasks", "get_task"];

export function createTaskTools(tasks: TaskService, rateLimiter: WriteRateLimiter): TaskTool[] {
  function tool<S extends TObject>(
    name: ToolName,
    description: string,
    input: S,
    run: (userId: string, input: Static<S>) => Promise<unknown>,
  ): TaskTool {
    const writes = !READ_ONLY.includes(name);
    // async: invalid input rejects the promise like every other refusal, never throws synchronously.
    return {
      name,
      description,
      input,
      writes,
      run: async (userId, raw) => {
        const parsed = parseInput(input, raw);
        if (writes) takeWriteOrThrow(rateLimiter, userId);
        return run(userId, parsed);
      },
    };
  }

  return [
    tool("add_task", "Create a task for the user. Only title is required.", TaskCreateBody, (userId, input) =>
      tasks.create(userId, input),
    ),
    tool(
      "list_tasks",
      "List, filter, search and sort the user's tasks (pending ones by default). Returns { items, nextCursor }.",
      TaskListQuerySchema,
      (userId, input) => {
        const { tag, ...rest } = input;
        return tasks.list(userId, { ...rest, tags: tag });
      },
    ),
    tool("get_task", "One task by id.", WithId, (userId, { id }) => tasks.get(userId, id)),
    tool("update_task", "Change the given fields of a task (title, description, priority, tags, dueAt, remindAt, recurrence).", UpdateInput, (userId, { id, ...patch }) =>
      tasks.update(userId, id, patch),
    ),
    tool("complete_task", "Mark a task as done (a recurring task then gets its next occurrence).", WithId, (userId, { id }) =>
      tasks.complete(userId, id),
    ),
    tool("reopen_task", "Mark a completed task as pending again.", WithId, (userId, { id }) => tasks.reopen(userId, id)),
    tool("delete_task", "Delete a task. Returns { deleted: true, id }.", WithId, async (userId, { id }) => {
      await tasks.remove(userId, id);
      return { deleted: true, id };
    }),
    tool("set_reminder", "Set (or clear with null) when to remind the user about a task.", ReminderInput, (userId, { id, remindAt }) =>
      tasks.update(userId, id, { remindAt }),
    ),
    tool(
      "set_recurrence",
      "Make a task repeat with an RRULE (or stop repeating with null). A repeating task needs a due date: pass dueAt when it has none.",
      RecurrenceInput,
      (userId, { id, recurrence, dueAt }) => tasks.update(userId, id, dueAt === undefined ? { recurrence } : { recurrence, dueAt }),
    ),
  ];
}
