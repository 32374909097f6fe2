import { describe, expect, test } from "bun:test";
import { REMINDER_CANCELLED, buildEvent, parseEvent } from "@todo/common";
import { auditEntryOf } from "./audit-entry.ts";

const userId = "0190f3a0-0000-7000-8000-0000000000aa";
const taskId = "0190f3a0-0000-7000-8000-000000000001";

/** The event as a subscriber receives it from daprd: parsed, with the sidecar's attributes. */
function asDelivered(event: ReturnType<typeof buildEvent>) {
  const parsed = parseEvent({ ...event.toJSON(), topic: "reminder-events", pubsubname: "pubsub", traceid: "x", tracestate: "" });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.event;
}

describe("auditEntryOf", () => {
  const published = buildEvent(REMINDER_CANCELLED, {
    source: "chat-api",
    time: "2030-03-01T09:00:00+01:00",
    traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    data: { userId, taskId, version: 3, reminderId: `${taskId}-1893488400000`, reason: "cleared" },
  });

  test("records the event as its producer published it, without the attributes of one delivery", () => {
    const entry = auditEntryOf(asDelivered(published), "reminder-events");
    expect(entry.event).toEqual(published.toJSON());
    expect(entry.event).not.toHaveProperty("pubsubname");
    expect(entry.event).toHaveProperty("traceparent", published.traceparent);
  });

  test("indexes it by id, type, the topic it arrived on, task and user", () => {
    const entry = auditEntryOf(asDelivered(published), "reminder-events");
    expect(entry).toMatchObject({ eventId: published.id, type: REMINDER_CANCELLED, topic: "reminder-events", taskId, userId });
    expect(Date.parse(entry.eventTime)).toBe(Date.parse("2030-03-01T08:00:00Z"));
  });
});
