import { describe, expect, test } from "bun:test";
import { blankTask } from "@todo/testkit";
import { checkReminder, keepsJobDespiteCancel } from "./reminder-check.ts";
import { reminderIdFor, withSnapshot, type TaskRecord } from "./task-record.ts";

const remindAt = "2030-03-01T09:00:00.000Z";
const base = blankTask({ remindAt, version: 2 });
const reminderId = reminderIdFor(base.id, remindAt);
const job = { reminderId, version: 2, remindAt };
const record = (overrides: Partial<typeof base> = {}, fired?: string): TaskRecord => ({
  ...withSnapshot(undefined, { ...base, ...overrides })!,
  ...(fired ? { firedReminderId: fired } : {}),
});

describe("checkReminder", () => {
  test("a pending task whose remindAt is still the job's is current", () => {
    expect(checkReminder(record(), job)).toEqual({ verdict: "current", record: record() });
    // Other changes since (a newer version, another notation of the same instant) do not matter.
    expect(checkReminder(record({ version: 5, title: "Renamed", remindAt: "2030-03-01T10:00:00+01:00" }), job).verdict).toBe("current");
  });

  test.each([
    ["deleted", record({ version: 3, deletedAt: remindAt })],
    ["completed", record({ version: 3, status: "completed" })],
    ["cleared", record({ version: 3, remindAt: null })],
    ["moved", record({ version: 3, remindAt: "2030-03-01T09:05:00.000Z" })],
    ["already-fired", record({}, reminderId)],
  ])("%s -> stale", (reason, held) => {
    expect(checkReminder(held, job)).toEqual({ verdict: "stale", reason: reason as never });
  });

  test("no state, or state older than the job, cannot tell", () => {
    expect(checkReminder(undefined, job)).toEqual({ verdict: "unknown", reason: "no-task-state" });
    expect(checkReminder(record({ version: 1 }), job)).toEqual({ verdict: "unknown", reason: "state-behind" });
  });
});

describe("keepsJobDespiteCancel", () => {
  const cancelled = { userId: base.userId, taskId: base.id, version: 3, reminderId, reason: "rescheduled" as const };

  test("a late cancellation of a reminder a newer version brought back keeps the job", () => {
    expect(keepsJobDespiteCancel(record({ version: 4 }), cancelled)).toBe(true);
  });

  test("otherwise the job goes", () => {
    expect(keepsJobDespiteCancel(undefined, cancelled)).toBe(false);
    expect(keepsJobDespiteCancel(record({ version: 3, remindAt: null }), cancelled)).toBe(false);
    expect(keepsJobDespiteCancel(record({ version: 2 }), cancelled)).toBe(false);
    expect(keepsJobDespiteCancel(record({ version: 4, remindAt: "2030-03-01T09:05:00.000Z" }), cancelled)).toBe(false);
  });
});
