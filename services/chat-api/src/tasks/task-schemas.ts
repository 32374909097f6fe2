import { CloneType } from "@sinclair/typebox";
import { DATE_TIME_PATTERN, MULTI_LINE_TEXT_PATTERN, SINGLE_LINE_TEXT_PATTERN, Task } from "@todo/common";
import { t } from "elysia";
import { DEFAULT_LIMIT, MAX_LIMIT } from "./task-query.ts";
import { MAX_DESCRIPTION_LENGTH, MAX_TAGS, MAX_TITLE_LENGTH } from "./task-rules.ts";

/**
 * The shapes of the task routes. These check types and formats (a 400 when
 * they do not match); the task rules (task-rules.ts) then check meaning, such
 * as a title that is blank once trimmed or a reminder in the past (422).
 */
const Priority = t.Union([t.Literal("high"), t.Literal("medium"), t.Literal("low"), t.Literal("none")], {
  description: "Default none",
});
const instant = (description: string) => t.String({ pattern: DATE_TIME_PATTERN, description });

const editable = {
  description: t.String({
    pattern: MULTI_LINE_TEXT_PATTERN,
    description: `At most ${MAX_DESCRIPTION_LENGTH} characters; no control characters other than tab and line breaks, no bidirectional overrides`,
  }),
  priority: Priority,
  tags: t.Array(t.String(), {
    description: `At most ${MAX_TAGS} labels of 1-32 characters (letters, digits, '-', '_'); lower-cased and de-duplicated`,
  }),
  dueAt: t.Nullable(instant("ISO 8601 date-time with offset, e.g. 2026-03-01T09:00:00+01:00")),
  remindAt: t.Nullable(instant("When to remind (ISO 8601 with offset); must not be in the past when set")),
  recurrence: t.Nullable(
    t.String({ description: "RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=MO;COUNT=10; needs dueAt (the series anchor)" }),
  ),
};

const title = t.String({
  pattern: SINGLE_LINE_TEXT_PATTERN,
  description: `1-${MAX_TITLE_LENGTH} characters once trimmed; no control characters or bidirectional overrides`,
});

export const TaskCreateBody = t.Object(
  {
    title,
    description: t.Optional(editable.description),
    priority: t.Optional(editable.priority),
    tags: t.Optional(editable.tags),
    dueAt: t.Optional(editable.dueAt),
    remindAt: t.Optional(editable.remindAt),
    recurrence: t.Optional(editable.recurrence),
  },
  { additionalProperties: false, description: "A new task; fields left out take their defaults" },
);

export const TaskPatchBody = t.Object(
  {
    title: t.Optional(title),
    description: t.Optional(editable.description),
    priority: t.Optional(editable.priority),
    tags: t.Optional(editable.tags),
    dueAt: t.Optional(editable.dueAt),
    remindAt: t.Optional(editable.remindAt),
    recurrence: t.Optional(editable.recurrence),
  },
  {
    additionalProperties: false,
    description: "Fields to change; null clears dueAt, remindAt or recurrence. Status changes through /complete and /reopen.",
  },
);

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
