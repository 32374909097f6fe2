import type { Task } from "@todo/common";

/**
 * What notification keeps per task in Dapr state: the newest snapshot it has
 * seen (from task-events and reminder-events), so a firing job can re-check
 * the task without calling chat-api, and the reminder it last fired.
 */
export interface TaskRecord {
  version: number;
  status: Task["status"];
  remindAt: string | null;
  deletedAt: string | null;
  task: Task;
  /** The reminder whose triggered event went out: a job that fires again does not publish again. */
  firedReminderId?: string;
}

/**
 * The record after seeing `task`, or undefined when the held one is as new or
 * newer: events of one task reach us out of order (two topics, redeliveries),
 * and an older snapshot must never replace a newer one.
 */
export function withSnapshot(held: TaskRecord | undefined, task: Task): TaskRecord | undefined {
  if (held && held.version >= task.version) return undefined;
  return {
    version: task.version,
    status: task.status,
    remindAt: task.remindAt,
    deletedAt: task.deletedAt,
    task,
    ...(held?.firedReminderId === undefined ? {} : { firedReminderId: held.firedReminderId }),
  };
}

/** The record once `reminderId` has fired; undefined when there is nothing to change. */
export function withFiredReminder(held: TaskRecord | undefined, reminderId: string): TaskRecord | undefined {
  if (!held || held.firedReminderId === reminderId) return undefined;
  return { ...held, firedReminderId: reminderId };
}

/**
 * chat-api names a reminder `<taskId>-<remindAt in epoch ms>` (the shared
 * contract of issue 5), so the same time always gives the same id and a
 * moved reminder a new one.
 */
export function reminderIdFor(taskId: string, remindAt: string): string {
  return `${taskId}-${Date.parse(remindAt)}`;
}

/** The reminder this record would fire: the task is pending, not deleted, and has a time. */
export function activeReminderId(record: TaskRecord): string | undefined {
  if (record.status !== "pending" || record.deletedAt !== null || record.remindAt === null) return undefined;
  return reminderIdFor(record.task.id, record.remindAt);
}
