import { DateTime, TaskId, TaskVersion, UserId, type JobSpec, type ReminderScheduledData } from "@todo/common";
import { t, type Static } from "elysia";

/** The data a reminder's Dapr job carries; daprd posts it back as the body of POST /job/<reminderId>. */
export const ReminderJobData = t.Object({
  reminderId: t.String({ minLength: 1 }),
  taskId: TaskId,
  userId: UserId,
  version: TaskVersion,
  remindAt: DateTime,
});
export type ReminderJobData = Static<typeof ReminderJobData>;

/** Retried quickly and briefly: a reminder is only useful near its time. */
export const REMINDER_FAILURE_POLICY = { constant: { interval: "1s", maxRetries: 5 } } as const;

export function reminderJobData(scheduled: ReminderScheduledData): ReminderJobData {
  const { reminderId, taskId, userId, version, remindAt } = scheduled;
  return { reminderId, taskId, userId, version, remindAt };
}

/**
 * A one-shot job at remindAt. `overwrite` because a redelivered scheduled
 * event must replace the job, not fail with 409 (Dapr 1.16+ default).
 * dueTime is normalised to UTC RFC 3339, which the Scheduler parses.
 */
export function reminderJobSpec(data: ReminderJobData): JobSpec {
  return {
    dueTime: new Date(data.remindAt).toISOString(),
    data,
    overwrite: true,
    failurePolicy: REMINDER_FAILURE_POLICY,
  };
}
