import {
  buildEvent,
  deterministicEventId,
  REMINDER_EVENTS_TOPIC,
  REMINDER_TRIGGERED,
  type DaprClient,
  type Logger,
  type ReminderCancelledData,
  type ReminderScheduledData,
  type Task,
} from "@todo/common";
import { checkReminder, keepsJobDespiteCancel, type StaleReason } from "./reminder-check.ts";
import { reminderJobData, reminderJobSpec, type ReminderJobData } from "./reminder-job.ts";
import { withFiredReminder, withSnapshot } from "./task-record.ts";
import type { TaskRecordStore } from "./task-record-store.ts";

export interface RemindersDeps {
  dapr: DaprClient;
  pubsub: string;
  records: TaskRecordStore;
  now: () => Date;
}

export type FireOutcome =
  | { outcome: "published"; eventId: string; latenessMs: number }
  | { outcome: "stale"; reason: StaleReason }
  /** Our state could not tell: the trigger should fail so the job's failure policy retries it. */
  | { outcome: "retry"; reason: string };

/**
 * What notification does with reminders, one story per input. Every step is
 * idempotent: events and job triggers are at-least-once.
 */
export function createReminders(deps: RemindersDeps) {
  const { dapr, records } = deps;

  const rememberSnapshot = (task: Task) => records.update(task.id, (held) => withSnapshot(held, task));

  return {
    /** A task event: keep the newest snapshot, for the re-check when a job fires. */
    async taskChanged(task: Task): Promise<void> {
      await rememberSnapshot(task);
    },

    /**
     * Snapshot first, job second: when the job fires the state is at least as
     * new as the job. A reminder a newer version already moved, cleared or
     * finished gets no job (its late scheduled event is ignored).
     */
    async reminderScheduled(scheduled: ReminderScheduledData, logger: Logger): Promise<void> {
      const record = await rememberSnapshot(scheduled.task);
      const job = reminderJobData(scheduled);
      const check = checkReminder(record, job);
      if (check.verdict === "stale") {
        logger.info("reminder superseded by a newer task version; no job", { reminderId: job.reminderId, reason: check.reason });
        await dapr.deleteJob(job.reminderId);
        return;
      }
      await dapr.scheduleJob(job.reminderId, reminderJobSpec(job));
      logger.info("reminder job scheduled", { reminderId: job.reminderId, taskId: job.taskId, remindAt: job.remindAt });
    },

    /** Deleting a job that already fired (or never existed) is fine: it is gone either way. */
    async reminderCancelled(cancelled: ReminderCancelledData, logger: Logger): Promise<void> {
      if (keepsJobDespiteCancel(await records.read(cancelled.taskId), cancelled)) {
        logger.info("late cancellation of a reminder a newer version brought back; job kept", { reminderId: cancelled.reminderId });
        return;
      }
      await dapr.deleteJob(cancelled.reminderId);
      logger.info("reminder job deleted", { reminderId: cancelled.reminderId, reason: cancelled.reason });
    },

    /**
     * The job fired: re-check the task, then publish ReminderTriggered with an
     * id derived from the reminder, so a job that fires twice publishes the
     * same event and consumers keep one. Throws on Dapr failures.
     */
    async reminderDue(job: ReminderJobData, logger: Logger, traceparent?: string): Promise<FireOutcome> {
      const check = checkReminder(await records.read(job.taskId), job);
      if (check.verdict === "unknown") return { outcome: "retry", reason: check.reason };
      if (check.verdict === "stale") return { outcome: "stale", reason: check.reason };
      const { record } = check;

      const firedAt = deps.now();
      const eventId = deterministicEventId(REMINDER_TRIGGERED, job.reminderId);
      const event = buildEvent(REMINDER_TRIGGERED, {
        source: "notification",
        id: eventId,
        time: firedAt,
        ...(traceparent === undefined ? {} : { traceparent }),
        data: {
          userId: record.task.userId,
          taskId: record.task.id,
          version: record.version,
          reminderId: job.reminderId,
          remindAt: record.task.remindAt ?? job.remindAt,
          firedAt: firedAt.toISOString(),
          task: record.task,
        },
      });
      await dapr.publish(deps.pubsub, REMINDER_EVENTS_TOPIC, event, {
        partitionKey: job.taskId,
        ...(traceparent === undefined ? {} : { traceparent }),
      });
      try {
        await records.update(job.taskId, (held) => withFiredReminder(held, job.reminderId));
      } catch (error) {
        // Published already; a re-fire would publish the same event id again, which consumers drop.
        logger.warn("reminder published but not marked as fired", { reminderId: job.reminderId, error });
      }
      return { outcome: "published", eventId, latenessMs: firedAt.getTime() - Date.parse(job.remindAt) };
    },
  };
}

export type Reminders = ReturnType<typeof createReminders>;
