import { blankTask } from "@todo/testkit";
import { describe, expect, test } from "bun:test";
import type { Task } from "@todo/common";
import {
  applyPatch,
  changedFields,
  completed,
  nextVersion,
  normaliseNewTask,
  reopened,
  TaskRuleError,
  withSeries,
  type NewTaskInput,
} from "./task-rules.ts";

const now = new Date("2030-03-01T09:00:00Z");

function issuesOf(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof TaskRuleError) {
      expect(error.status).toBe(422);
      expect(error.code).toBe("invalid_task");
      return error.issues;
    }
    throw error;
  }
  throw new Error("expected the rules to refuse the input");
}
const pathsOf = (input: NewTaskInput) => issuesOf(() => normaliseNewTask(input, now)).map((issue) => issue.path);

const task = blankTask;

describe("a new task", () => {
  test("gets defaults for everything but the title", () => {
    expect(normaliseNewTask({ title: "Pay rent" }, now)).toEqual({
      title: "Pay rent",
      description: "",
      priority: "none",
      tags: [],
      dueAt: null,
      remindAt: null,
      recurrence: null,
    });
  });

  test("has its title trimmed, and a blank or over-long title is refused", () => {
    expect(normaliseNewTask({ title: "  Pay rent \n" }, now).title).toBe("Pay rent");
    expect(normaliseNewTask({ title: ` ${"x".repeat(200)} ` }, now).title).toHaveLength(200);
    expect(pathsOf({ title: "   " })).toEqual(["/title"]);
    expect(pathsOf({ title: "x".repeat(201) })).toEqual(["/title"]);
  });

  test("counts length like the published task schema (UTF-16 units), so every stored task can be published", () => {
    expect(normaliseNewTask({ title: "🎉".repeat(100) }, now).title).toHaveLength(200);
    expect(pathsOf({ title: "🎉".repeat(101) })).toEqual(["/title"]);
  });

  test("refuses text PostgreSQL cannot store: NUL and lone surrogates", () => {
    expect(pathsOf({ title: "a\u0000b" })).toEqual(["/title"]);
    expect(pathsOf({ title: "ok", description: "broken \ud800 pair" })).toEqual(["/description"]);
    expect(normaliseNewTask({ title: "emoji 🎉 ok" }, now).title).toBe("emoji 🎉 ok");
  });

  test("allows a description of up to 4000 characters", () => {
    expect(normaliseNewTask({ title: "t", description: "d".repeat(4000) }, now).description).toHaveLength(4000);
    expect(pathsOf({ title: "t", description: "d".repeat(4001) })).toEqual(["/description"]);
  });

  test("has tags lower-cased, trimmed and de-duplicated in first-seen order", () => {
    expect(normaliseNewTask({ title: "t", tags: [" Home", "bills_2026", "HOME", "x-1"] }, now).tags).toEqual(["home", "bills_2026", "x-1"]);
  });

  test("refuses tags that are empty, too long, oddly spelt, or more than 20", () => {
    expect(pathsOf({ title: "t", tags: ["ok", ""] })).toEqual(["/tags/1"]);
    expect(pathsOf({ title: "t", tags: ["a".repeat(33)] })).toEqual(["/tags/0"]);
    expect(pathsOf({ title: "t", tags: ["two words"] })).toEqual(["/tags/0"]);
    expect(pathsOf({ title: "t", tags: ["-lead"] })).toEqual(["/tags/0"]);
    expect(normaliseNewTask({ title: "t", tags: Array.from({ length: 20 }, (_, i) => `t${i}`) }, now).tags).toHaveLength(20);
    expect(pathsOf({ title: "t", tags: Array.from({ length: 21 }, (_, i) => `t${i}`) })).toEqual(["/tags"]);
  });

  test("keeps dates as UTC instants at millisecond precision", () => {
    const fields = normaliseNewTask({ title: "t", dueAt: "2030-04-01T09:00:00.123456+02:00" }, now);
    expect(fields.dueAt).toBe("2030-04-01T07:00:00.123Z");
  });

  test.each([
    ["no offset", "2030-04-01T09:00:00"],
    ["a date only", "2030-04-01"],
    ["a day that does not exist", "2030-02-30T09:00:00Z"],
    ["29 February outside a leap year", "2031-02-29T09:00:00Z"],
    ["a leap second", "2030-06-30T23:59:60Z"],
    ["a year before 1900", "0000-01-01T00:00:00Z"],
    ["free text", "tomorrow"],
  ])("refuses a due date with %s", (_name, dueAt) => {
    expect(pathsOf({ title: "t", dueAt })).toEqual(["/dueAt"]);
  });

  test("accepts 29 February in a leap year", () => {
    expect(normaliseNewTask({ title: "t", dueAt: "2032-02-29T09:00:00Z" }, now).dueAt).toBe("2032-02-29T09:00:00.000Z");
  });

  test("needs no due date for a reminder, but the reminder must not be in the past", () => {
    expect(normaliseNewTask({ title: "t", remindAt: "2030-03-01T09:00:00Z" }, now).remindAt).toBe("2030-03-01T09:00:00.000Z");
    expect(pathsOf({ title: "t", remindAt: "2030-03-01T08:59:59.999Z" })).toEqual(["/remindAt"]);
  });

  test("an occurrence may carry a reminder already behind us", () => {
    const fields = normaliseNewTask({ title: "t", remindAt: "2030-01-01T00:00:00Z" }, now, { allowPastReminder: true });
    expect(fields.remindAt).toBe("2030-01-01T00:00:00.000Z");
  });

  test("stores a recurrence rule in canonical form, and the rule needs a due date as its anchor", () => {
    const fields = normaliseNewTask({ title: "t", dueAt: "2030-03-04T09:00:00Z", recurrence: "rrule:freq=weekly;byday=mo" }, now);
    expect(fields.recurrence).toBe("FREQ=WEEKLY;BYDAY=MO");
    expect(issuesOf(() => normaliseNewTask({ title: "t", recurrence: "FREQ=DAILY" }, now))).toEqual([
      { path: "/recurrence", message: "needs dueAt: the due date anchors the series" },
    ]);
  });

  test("reports every problem at once", () => {
    expect(pathsOf({ title: "", tags: ["Bad Tag"], dueAt: "nope", recurrence: "FREQ=NEVER" })).toEqual([
      "/title",
      "/tags/0",
      "/dueAt",
      "/recurrence",
    ]);
  });
});

describe("a patch", () => {
  test("changes only the fields it names, and null clears a date or the rule", () => {
    const current = task({ dueAt: "2030-04-01T00:00:00.000Z", remindAt: "2030-03-31T00:00:00.000Z", tags: ["home"] });
    expect(applyPatch(current, { title: " New ", remindAt: null }, now)).toEqual({
      title: "New",
      description: "",
      priority: "none",
      tags: ["home"],
      dueAt: "2030-04-01T00:00:00.000Z",
      remindAt: null,
      recurrence: null,
    });
  });

  test("keeps an unchanged reminder even when it has passed, but refuses moving it into the past", () => {
    const current = task({ remindAt: "2030-02-01T00:00:00.000Z" });
    expect(applyPatch(current, { remindAt: "2030-02-01T00:00:00+00:00", title: "x" }, now).remindAt).toBe("2030-02-01T00:00:00.000Z");
    expect(issuesOf(() => applyPatch(current, { remindAt: "2030-02-02T00:00:00Z" }, now)).map((i) => i.path)).toEqual(["/remindAt"]);
  });

  test("may not clear the due date of a recurring task unless it clears the rule too", () => {
    const current = task({ dueAt: "2030-04-01T00:00:00.000Z", recurrence: "FREQ=DAILY" });
    expect(issuesOf(() => applyPatch(current, { dueAt: null }, now)).map((i) => i.path)).toEqual(["/recurrence"]);
    expect(applyPatch(current, { dueAt: null, recurrence: null }, now)).toMatchObject({ dueAt: null, recurrence: null });
  });
});

describe("changes", () => {
  test("a task that gets a rule becomes the anchor of its own series, once", () => {
    const anchored = withSeries(task({ dueAt: "2030-04-01T00:00:00.000Z", recurrence: "FREQ=DAILY" }));
    expect(anchored).toMatchObject({ seriesId: anchored.id, occurrence: 0 });
    const inSeries = task({ recurrence: "FREQ=DAILY", seriesId: "0190f3a0-0000-7000-8000-0000000000ff", occurrence: 4 });
    expect(withSeries(inSeries)).toBe(inSeries);
    expect(withSeries(task())).toMatchObject({ seriesId: null, occurrence: null });
  });

  test("complete and reopen are no-ops when the task is already there", () => {
    const done = completed(task(), now);
    expect(done).toMatchObject({ status: "completed", completedAt: now.toISOString() });
    expect(completed(done as Task, now)).toBeUndefined();
    expect(reopened(task())).toBeUndefined();
    expect(reopened(done as Task)).toMatchObject({ status: "pending", completedAt: null });
  });

  test("the changed list names what differs, not the bookkeeping", () => {
    const before = task();
    const after = nextVersion({ ...before, title: "Other", tags: ["a"], remindAt: "2030-04-01T00:00:00.000Z" }, now);
    expect(changedFields(before, after)).toEqual(["title", "tags", "remindAt"]);
    expect(after.version).toBe(2);
    expect(after.updatedAt).toBe(now.toISOString());
    expect(changedFields(before, { ...before })).toEqual([]);
  });
});
