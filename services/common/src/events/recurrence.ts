import { Type, type Static } from "@sinclair/typebox";
import { TaskId, UserId } from "./schema-primitives.ts";
import { Task } from "./task.ts";

export const RECURRING_EVENTS_TOPIC = "recurring-events";

export const RECURRENCE_GENERATED = "todo.recurrence.generated.v1";

/** The next occurrence of a series was created; `task` is the new task, `previousTaskId` the one that completed. */
export const RecurrenceGeneratedData = Type.Object({
  userId: UserId,
  seriesId: Type.String({ minLength: 1 }),
  occurrence: Type.Integer({ minimum: 0 }),
  previousTaskId: TaskId,
  task: Task,
});
export type RecurrenceGeneratedData = Static<typeof RecurrenceGeneratedData>;
