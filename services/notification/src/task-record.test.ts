import { describe, expect, test } from "bun:test";
import { blankTask } from "@todo/testkit";
import { activeReminderId, reminderIdFor, withFiredReminder, withSnapshot } from "./task-record.ts";

const remindAt = "2030-03-01T09:00:00.000Z";
const task = (version: number, overrides = {}) => blankTask({ version, remindAt, ...overrides });

describe("withSnapshot", () => {
  test("the first snapshot becomes the record", () => {
    expect(withSnapshot(undefined, task(1))).toEqual({ version: 1, status: "pending", remindAt, deletedAt: null, task: task(1) });
  });

  test("a newer snapshot replaces the held one and keeps the fired reminder", () => {
    const held = { ...withSnapshot(undefined, task(1))!, firedReminderId: "r-1" };
    const next = withSnapshot(held, task(3, { status: "completed" }));
    expect(next).toMatchObject({ version: 3, status: "completed", firedReminderId: "r-1" });
  });

  test("an older or equal snapshot changes nothing (events arrive out of order)", () => {
    const held = withSnapshot(undefined, task(3))!;
    expect(withSnapshot(held, task(2, { remindAt: null }))).toBeUndefined();
    expect(withSnapshot(held, task(3))).toBeUndefined();
  });
});

describe("withFiredReminder", () => {
  test("marks a reminder as fired once", () => {
    const held = withSnapshot(undefined, task(1))!;
    const fired = withFiredReminder(held, "r-1");
    expect(fired).toEqual({ ...held, firedReminderId: "r-1" });
    expect(withFiredReminder(fired, "r-1")).toBeUndefined();
    expect(withFiredReminder(undefined, "r-1")).toBeUndefined();
  });
});

describe("reminder ids", () => {
  test("follow chat-api's <taskId>-<epoch ms>, whatever the offset notation", () => {
    expect(reminderIdFor("t", "2030-03-01T10:00:00+01:00")).toBe(`t-${Date.parse(remindAt)}`);
  });

  test("a pending, live task with a time has an active reminder; others have none", () => {
    const active = withSnapshot(undefined, task(1))!;
    expect(activeReminderId(active)).toBe(reminderIdFor(active.task.id, remindAt));
    expect(activeReminderId(withSnapshot(undefined, task(1, { remindAt: null }))!)).toBeUndefined();
    expect(activeReminderId(withSnapshot(undefined, task(1, { status: "completed" }))!)).toBeUndefined();
    expect(activeReminderId(withSnapshot(undefined, task(1, { deletedAt: remindAt }))!)).toBeUndefined();
  });
});
