import { Type, type Static } from "@sinclair/typebox";
import { DATE_TIME_PATTERN, MULTI_LINE_TEXT_PATTERN, Nullable, SINGLE_LINE_TEXT_PATTERN } from "./schema-primitives.ts";
import { MAX_DESCRIPTION_LENGTH, MAX_TAGS, MAX_TITLE_LENGTH, Priority } from "./task.ts";

/**
 * What a caller may send to create or change a task: REST, MCP, the chat's
 * tools and the site all use these shapes. They check types and formats (a
 * 400); chat-api's task rules then check meaning, such as a title that is
 * blank once trimmed or a reminder in the past (422).
 */
const instant = (description: string) => Type.String({ pattern: DATE_TIME_PATTERN, description });

export const TaskCreateBody = Type.Object(
  {
    title: Type.String({
      pattern: SINGLE_LINE_TEXT_PATTERN,
      description: `1-${MAX_TITLE_LENGTH} characters once trimmed; no control characters or bidirectional overrides`,
    }),
    description: Type.Optional(
      Type.String({
        pattern: MULTI_LINE_TEXT_PATTERN,
        description: `At most ${MAX_DESCRIPTION_LENGTH} characters; no control characters other than tab and line breaks, no bidirectional overrides`,
      }),
    ),
    priority: Type.Optional(Type.Union(Priority.anyOf, { description: "Default none" })),
    tags: Type.Optional(
      Type.Array(Type.String(), {
        description: `At most ${MAX_TAGS} labels of 1-32 characters (letters, digits, '-', '_'); lower-cased and de-duplicated`,
      }),
    ),
    dueAt: Type.Optional(Nullable(instant("ISO 8601 date-time with offset, e.g. 2026-03-01T09:00:00+01:00"))),
    remindAt: Type.Optional(Nullable(instant("When to remind (ISO 8601 with offset); must not be in the past when set"))),
    recurrence: Type.Optional(
      Nullable(Type.String({ description: "RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=MO;COUNT=10; needs dueAt (the series anchor)" })),
    ),
  },
  { additionalProperties: false, description: "A new task; fields left out take their defaults" },
);
export type TaskCreateBody = Static<typeof TaskCreateBody>;

export const TaskPatchBody = Type.Partial(TaskCreateBody, {
  additionalProperties: false,
  description: "Fields to change; null clears dueAt, remindAt or recurrence. Status changes through /complete and /reopen.",
});
export type TaskPatchBody = Static<typeof TaskPatchBody>;
