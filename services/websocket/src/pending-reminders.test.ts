import { describe, expect, test } from "bun:test";
import type { EventJson } from "./event-json.ts";
import { withQueued } from "./pending-reminders.ts";

const triggered = (id: string, reminderId: string): EventJson => ({ id, type: "todo.reminder.triggered.v1", data: { reminderId } });

describe("queueing reminders for an offline user", () => {
  test("queues in firing order", () => {
    const queue = withQueued([triggered("e1", "r1")], triggered("e2", "r2"), 10);
    expect(queue?.map((event) => event.id)).toEqual(["e1", "e2"]);
  });

  test("the same reminder is queued once, whichever replica or retry queues it", () => {
    expect(withQueued([triggered("e1", "r1")], triggered("e1", "r1"), 10)).toBeUndefined();
    expect(withQueued([triggered("e1", "r1")], triggered("e9", "r1"), 10)).toBeUndefined();
  });

  test("past the limit the oldest reminder leaves", () => {
    const queue = withQueued([triggered("e1", "r1"), triggered("e2", "r2")], triggered("e3", "r3"), 2);
    expect(queue?.map((event) => event.id)).toEqual(["e2", "e3"]);
  });
});
