import { Type, type Static, type TLiteral } from "@sinclair/typebox";
import { DateTime, Nullable, TaskId, TaskVersion, UserId } from "./schema-primitives.ts";

export const TASK_EVENTS_TOPIC = "task-events";

export const TASK_CREATED = "todo.task.created.v1";
export const TASK_UPDATED = "todo.task.updated.v1";
export const TASK_COMPLETED = "todo.task.completed.v1";
export const TASK_DELETED = "todo.task.deleted.v1";

export const TAG_PATTERN = "^[a-z0-9][a-z0-9_-]{0,31}$";

/** Highest first: the order of sorting by priority and of every priority picker. */
export const PRIORITIES = ["high", "medium", "low", "none"] as const;
export type Priority = (typeof PRIORITIES)[number];
type Literals<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K]> };
export const Priority = Type.Union(PRIORITIES.map((priority) => Type.Literal(priority)) as Literals<typeof PRIORITIES>);

export const MAX_TITLE_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 4000;
export const MAX_TAGS = 20;

/**
 * The full task as every event carries it, so consumers never call back.
 * Extra properties are allowed here and in every payload: producers may add
 * optional fields within a version, and a consumer built against the older
 * schema must still accept those events. Removing or changing a field is a new
 * event version instead.
 */
export const Task = Type.Object(
  {
    id: TaskId,
    userId: UserId,
    title: Type.String({ minLength: 1, maxLength: MAX_TITLE_LENGTH }),
    description: Type.String({ maxLength: MAX_DESCRIPTION_LENGTH }),
    status: Type.Union([Type.Literal("pending"), Type.Literal("completed")]),
    priority: Priority,
    tags: Type.Array(Type.String({ pattern: TAG_PATTERN }), { maxItems: MAX_TAGS, uniqueItems: true }),
    dueAt: Nullable(DateTime),
    remindAt: Nullable(DateTime),
    /** RFC 5545 RRULE text; every rule names its FREQ. */
    recurrence: Nullable(Type.String({ minLength: 1, maxLength: 1000, pattern: "FREQ=" })),
    seriesId: Nullable(Type.String({ minLength: 1 })),
    occurrence: Nullable(Type.Integer({ minimum: 0 })),
    /** IANA time zone whose wall clock the recurrence follows (the owner's zone at creation); absent means the due date's offset. */
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    version: TaskVersion,
    createdAt: DateTime,
    updatedAt: DateTime,
    completedAt: Nullable(DateTime),
    deletedAt: Nullable(DateTime),
  },
  { title: "Task" },
);
export type Task = Static<typeof Task>;

export const TaskCreatedData = Type.Object({ userId: UserId, version: TaskVersion, task: Task });
export type TaskCreatedData = Static<typeof TaskCreatedData>;

export const TaskUpdatedData = Type.Object({
  userId: UserId,
  version: TaskVersion,
  task: Task,
  /** Names of the task fields this change touched. */
  changed: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
});
export type TaskUpdatedData = Static<typeof TaskUpdatedData>;

export const TaskCompletedData = Type.Object({ userId: UserId, version: TaskVersion, task: Task });
export type TaskCompletedData = Static<typeof TaskCompletedData>;

/** The snapshot is the tombstone: `deletedAt` is set. */
export const TaskDeletedData = Type.Object({ userId: UserId, version: TaskVersion, task: Task });
export type TaskDeletedData = Static<typeof TaskDeletedData>;
