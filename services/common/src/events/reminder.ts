import { Type, type Static } from "@sinclair/typebox";
import { DateTime, TaskId, TaskVersion, UserId } from "./schema-primitives.ts";
import { Task } from "./task.ts";

export const REMINDER_EVENTS_TOPIC = "reminder-events";

export const REMINDER_SCHEDULED = "todo.reminder.scheduled.v1";
export const REMINDER_CANCELLED = "todo.reminder.cancelled.v1";
export const REMINDER_TRIGGERED = "todo.reminder.triggered.v1";
export const REMINDER_DELIVERED = "todo.reminder.delivered.v1";

const ReminderId = Type.String({ minLength: 1 });

export const ReminderScheduledData = Type.Object({
  userId: UserId,
  taskId: TaskId,
  version: TaskVersion,
  reminderId: ReminderId,
  remindAt: DateTime,
  task: Task,
});
export type ReminderScheduledData = Static<typeof ReminderScheduledData>;

export const ReminderCancelReason = Type.Union([
  Type.Literal("completed"),
  Type.Literal("deleted"),
  Type.Literal("cleared"),
  Type.Literal("rescheduled"),
]);
export type ReminderCancelReason = Static<typeof ReminderCancelReason>;

export const ReminderCancelledData = Type.Object({
  userId: UserId,
  taskId: TaskId,
  version: TaskVersion,
  reminderId: ReminderId,
  reason: ReminderCancelReason,
});
export type ReminderCancelledData = Static<typeof ReminderCancelledData>;

export const ReminderTriggeredData = Type.Object({
  userId: UserId,
  taskId: TaskId,
  version: TaskVersion,
  reminderId: ReminderId,
  remindAt: DateTime,
  firedAt: DateTime,
  task: Task,
});
export type ReminderTriggeredData = Static<typeof ReminderTriggeredData>;

export const ReminderDeliveredData = Type.Object({
  userId: UserId,
  taskId: TaskId,
  reminderId: ReminderId,
  deliveredAt: DateTime,
});
export type ReminderDeliveredData = Static<typeof ReminderDeliveredData>;
