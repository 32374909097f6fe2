import { blankTask } from "@todo/testkit";
import { describe, expect, test } from "bun:test";
import { parseEvent, type TypedEvent } from "@todo/common";
import { eventsForChange, reminderIdOf, type TaskChange } from "./task-events.ts";

const now = new Date("2030-03-01T09:00:00Z");
const LATER = "2030-03-02T09:00:00.000Z";
const LATER_STILL = "2030-03-03T09:00:00.000Z";
const EARLIER = "2030-02-01T09:00:00.000Z";

const task = blankTask;

/** type, plus the reminder id and reason where there is one: what a consumer acts on. */
function summary(events: TypedEvent[]): unknown[][] {
  return events.map((event) => {
    const data = event.data as { reminderId?: string; reason?: string; changed?: string[] };
    return [event.type, data.reminderId ?? data.changed ?? null, data.reason ?? null];
  });
}

const events = (change: TaskChange) => eventsForChange(change, now);

describe("events of a change", () => {
  test("every event is a valid catalogue event about the task, at the task's new version", () => {
    const before = task({ remindAt: LATER });
    const after = task({ remindAt: LATER_STILL, version: 2 });
    const all = events({ kind: "updated", before, task: after, changed: ["remindAt"] });
    expect(all).toHaveLength(3);
    for (const event of all) {
      const parsed = parseEvent(JSON.parse(JSON.stringify(event)));
      expect(parsed.ok).toBe(true);
      expect(event.source).toBe("chat-api");
      expect(event.subject).toBe(after.id);
      expect((event.data as { version: number }).version).toBe(2);
      expect(event.time).toBe(now.toISOString());
    }
  });

  test("creating a task publishes created, plus a schedule when it has a reminder ahead", () => {
    expect(summary(events({ kind: "created", task: task() }))).toEqual([["todo.task.created.v1", null, null]]);
    const reminded = task({ remindAt: LATER });
    expect(summary(events({ kind: "created", task: reminded }))).toEqual([
      ["todo.task.created.v1", null, null],
      ["todo.reminder.scheduled.v1", reminderIdOf(reminded), null],
    ]);
  });

  test("an occurrence created with its reminder already past schedules nothing", () => {
    expect(summary(events({ kind: "created", task: task({ remindAt: EARLIER }) }))).toEqual([["todo.task.created.v1", null, null]]);
  });

  test("an update lists the changed fields and leaves the reminder alone when it did not move", () => {
    const before = task({ remindAt: LATER });
    const after = task({ remindAt: LATER, title: "Other", version: 2 });
    expect(summary(events({ kind: "updated", before, task: after, changed: ["title"] }))).toEqual([
      ["todo.task.updated.v1", ["title"], null],
    ]);
  });

  test("setting a reminder schedules it; moving it cancels the old one as rescheduled and schedules the new one", () => {
    const plain = task();
    const set = task({ remindAt: LATER, version: 2 });
    expect(summary(events({ kind: "updated", before: plain, task: set, changed: ["remindAt"] }))).toEqual([
      ["todo.task.updated.v1", ["remindAt"], null],
      ["todo.reminder.scheduled.v1", reminderIdOf(set), null],
    ]);
    const moved = task({ remindAt: LATER_STILL, version: 3 });
    expect(summary(events({ kind: "updated", before: set, task: moved, changed: ["remindAt"] }))).toEqual([
      ["todo.task.updated.v1", ["remindAt"], null],
      ["todo.reminder.cancelled.v1", reminderIdOf(set), "rescheduled"],
      ["todo.reminder.scheduled.v1", reminderIdOf(moved), null],
    ]);
    expect(reminderIdOf(set)).not.toBe(reminderIdOf(moved));
  });

  test("clearing a reminder cancels it as cleared", () => {
    const before = task({ remindAt: LATER });
    const after = task({ version: 2 });
    expect(summary(events({ kind: "updated", before, task: after, changed: ["remindAt"] }))).toEqual([
      ["todo.task.updated.v1", ["remindAt"], null],
      ["todo.reminder.cancelled.v1", reminderIdOf(before), "cleared"],
    ]);
  });

  test("completing or deleting a task with a reminder cancels it with that reason", () => {
    const before = task({ remindAt: LATER });
    const done = task({ remindAt: LATER, status: "completed", completedAt: now.toISOString(), version: 2 });
    expect(summary(events({ kind: "completed", before, task: done }))).toEqual([
      ["todo.task.completed.v1", null, null],
      ["todo.reminder.cancelled.v1", reminderIdOf(before), "completed"],
    ]);
    const gone = task({ remindAt: LATER, deletedAt: now.toISOString(), version: 2 });
    expect(summary(events({ kind: "deleted", before, task: gone }))).toEqual([
      ["todo.task.deleted.v1", null, null],
      ["todo.reminder.cancelled.v1", reminderIdOf(before), "deleted"],
    ]);
  });

  test("deleting a completed task cancels nothing: its reminder went with the completion", () => {
    const before = task({ remindAt: LATER, status: "completed", completedAt: now.toISOString(), version: 2 });
    const gone = { ...before, deletedAt: now.toISOString(), version: 3 };
    expect(summary(events({ kind: "deleted", before, task: gone }))).toEqual([["todo.task.deleted.v1", null, null]]);
  });

  test("reopening a task schedules its reminder again only while it is still ahead", () => {
    const done = task({ remindAt: LATER, status: "completed", completedAt: now.toISOString(), version: 2 });
    const open = task({ remindAt: LATER, version: 3 });
    const changed = ["status", "completedAt"];
    expect(summary(events({ kind: "updated", before: done, task: open, changed }))).toEqual([
      ["todo.task.updated.v1", changed, null],
      ["todo.reminder.scheduled.v1", reminderIdOf(open), null],
    ]);
    const stale = { ...done, remindAt: EARLIER };
    expect(summary(events({ kind: "updated", before: stale, task: { ...open, remindAt: EARLIER }, changed }))).toEqual([
      ["todo.task.updated.v1", changed, null],
    ]);
  });

  test("the reminder id is stable for one task and time, and safe as a job name", () => {
    const reminded = task({ remindAt: LATER });
    expect(reminderIdOf(reminded)).toBe(reminderIdOf({ id: reminded.id, remindAt: LATER }));
    expect(reminderIdOf(reminded)).toMatch(/^[0-9a-f-]+$/);
    expect(reminderIdOf(task())).toBeUndefined();
  });
});
