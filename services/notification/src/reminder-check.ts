import type { ReminderCancelledData } from "@todo/common";
import type { ReminderJobData } from "./reminder-job.ts";
import { activeReminderId, type TaskRecord } from "./task-record.ts";

export type StaleReason = "deleted" | "completed" | "cleared" | "moved" | "already-fired";

export type ReminderCheck =
  | { verdict: "current"; record: TaskRecord }
  /** The task no longer wants this reminder: nothing to publish, nothing to retry. */
  | { verdict: "stale"; reason: StaleReason }
  /** Our state cannot answer yet (missing, or older than the job): worth a retry. */
  | { verdict: "unknown"; reason: "no-task-state" | "state-behind" };

/**
 * Would this reminder fire now? Only if the newest snapshot we hold is at
 * least as new as the job, the task is pending and not deleted, its remindAt
 * is still the job's instant (a moved reminder has its own job), and this
 * reminder has not fired already.
 */
export function checkReminder(record: TaskRecord | undefined, job: Pick<ReminderJobData, "reminderId" | "version" | "remindAt">): ReminderCheck {
  if (!record) return { verdict: "unknown", reason: "no-task-state" };
  if (record.version < job.version) return { verdict: "unknown", reason: "state-behind" };
  if (record.deletedAt !== null) return { verdict: "stale", reason: "deleted" };
  if (record.status !== "pending") return { verdict: "stale", reason: "completed" };
  if (record.remindAt === null) return { verdict: "stale", reason: "cleared" };
  if (Date.parse(record.remindAt) !== Date.parse(job.remindAt)) return { verdict: "stale", reason: "moved" };
  if (record.firedReminderId === job.reminderId) return { verdict: "stale", reason: "already-fired" };
  return { verdict: "current", record };
}

/**
 * A cancellation deletes the reminder's job unless a newer version we already
 * hold brought the same reminder back (moved away and back to the same time:
 * same id), which happens when the old cancellation is delivered late.
 */
export function keepsJobDespiteCancel(record: TaskRecord | undefined, cancelled: ReminderCancelledData): boolean {
  if (!record || record.version <= cancelled.version) return false;
  return activeReminderId(record) === cancelled.reminderId;
}
