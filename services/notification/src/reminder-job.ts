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

/**
 * Retried every 2 s for 2 minutes: a reminder is only useful near its time,
 * but it must outlast a pub/sub broker restart (15-35 s on the real stack),
 * where 5 retries 1 s apart lost every reminder that fell due meanwhile.
 */
export const REMINDER_FAILURE_POLICY = { constant: { interval: "2s", maxRetries: 60 } } as const;

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
