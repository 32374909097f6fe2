import { describe, expect, test } from "bun:test";
import type { TaskSummary, TurnContext } from "../types.ts";
import { planSnooze } from "./snooze.ts";

const NOW = new Date("2026-12-02T15:00:00Z");
const tasks: TaskSummary[] = [
  { id: "a", title: "Stretch", status: "pending", remindAt: "2026-12-02T14:58:00Z" },
  { id: "b", title: "Call the bank", status: "pending", remindAt: "2026-12-02T14:30:00Z" },
  { id: "c", title: "Dentist", status: "pending", remindAt: "2026-12-03T09:00:00Z" },
];
const context: TurnContext = { now: NOW, timeZone: "Europe/Berlin", tasks, memory: {} };
const plan = (say: string, memory = {}) => planSnooze(say, context, memory);

describe("snooze it", () => {
  test("'it' is the reminder that went off last; ten minutes by default", () => {
    expect(plan("snooze it")).toEqual({ calls: [{ tool: "set_reminder", input: { id: "a", remindAt: "2026-12-02T15:10:00.000Z" } }] });
    expect(plan("snooze")).toEqual(plan("snooze it"));
  });

  test("for a while, or until tomorrow morning in the user's zone", () => {
    expect(plan("snooze it for an hour")).toEqual({ calls: [{ tool: "set_reminder", input: { id: "a", remindAt: "2026-12-02T16:00:00.000Z" } }] });
    expect(plan("snooze that for 25 minutes")).toEqual({ calls: [{ tool: "set_reminder", input: { id: "a", remindAt: "2026-12-02T15:25:00.000Z" } }] });
    // 09:00 in Berlin is 08:00 UTC in December.
    expect(plan("snooze it until tomorrow morning")).toEqual({ calls: [{ tool: "set_reminder", input: { id: "a", remindAt: "2026-12-03T08:00:00.000Z" } }] });
  });

  test("a task by name, even if its reminder is not the latest", () => {
    expect(plan("snooze call the bank for 2 hours")).toEqual({ calls: [{ tool: "set_reminder", input: { id: "b", remindAt: "2026-12-02T17:00:00.000Z" } }] });
  });

  test("nothing has gone off and nothing was touched: said so; other messages are not snoozes", () => {
    expect(planSnooze("snooze it", { ...context, tasks: [tasks[2]!] }, {})).toEqual({ reply: "nothingToSnooze" });
    expect(plan("snooze nonexistent thing")).toEqual({ reply: "notFound", phrase: "nonexistent thing" });
    expect(plan("add snooze button")).toBeUndefined();
  });
});
