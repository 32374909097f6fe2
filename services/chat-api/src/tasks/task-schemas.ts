import { CloneType } from "@sinclair/typebox";
import { DATE_TIME_PATTERN, Priority, Task } from "@todo/common";
import { t } from "elysia";
import { DEFAULT_LIMIT, MAX_LIMIT } from "./task-query.ts";

/** The shapes of the task routes besides the bodies (TaskCreateBody and TaskPatchBody, in common). */
const instant = (description: string) => t.String({ pattern: DATE_TIME_PATTERN, description });

export const TaskListQuerySchema = t.Object(
  {
    status: t.Optional(t.Union([t.Literal("pending"), t.Literal("completed"), t.Literal("all")], { description: "Default pending" })),
    priority: t.Optional(Priority),
    tag: t.Optional(t.Array(t.String(), { description: "Repeatable; every tag must be on the task" })),
    q: t.Optional(t.String({ description: "Full-text search over title, description and tags (web search syntax)" })),
    dueBefore: t.Optional(instant("Due strictly before this instant")),
    dueAfter: t.Optional(instant("Due at or after this instant")),
    overdue: t.Optional(t.Boolean({ description: "true: pending tasks due before now" })),
    sort: t.Optional(
      t.Union([t.Literal("due"), t.Literal("priority"), t.Literal("title"), t.Literal("created"), t.Literal("updated")], {
        description: "Default created",
      }),
    ),
    order: t.Optional(
      t.Union([t.Literal("asc"), t.Literal("desc")], {
        description: "Default asc for due and title, desc for priority, created and updated. Tasks without a due date come last.",
      }),
    ),
    limit: t.Optional(t.Integer({ minimum: 1, maximum: MAX_LIMIT, description: `Default ${DEFAULT_LIMIT}` })),
    cursor: t.Optional(t.String({ description: "nextCursor of the previous page (same filters and sort)" })),
  },
  { additionalProperties: false },
);

export const TaskIdParams = t.Object({ id: t.String({ description: "Task id (UUID)" }) });

// additionalProperties: other headers (Authorization) must survive Elysia's normalisation.
export const IfMatchHeaders = t.Object(
  { "if-match": t.Optional(t.String({ description: 'The version the change is based on, e.g. "3"; 409 when the task has moved on' })) },
  { additionalProperties: true },
);

// A copy: Elysia normalises response schemas in place (additionalProperties: false),
// which would make the shared catalogue schema reject events with new fields.
export const TaskJson = CloneType(Task);
export const TaskPageJson = t.Object({
  items: t.Array(CloneType(Task)),
  nextCursor: t.Nullable(t.String({ description: "Pass as cursor for the next page; null on the last page" })),
});
