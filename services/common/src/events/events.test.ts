import { afterAll, describe, expect, test } from "bun:test";
import { Value } from "@sinclair/typebox/value";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  EVENT_TOPICS,
  EVENT_TYPES,
  InvalidEventError,
  REMINDER_CANCELLED,
  REMINDER_EVENTS_TOPIC,
  RECURRENCE_GENERATED,
  RECURRING_EVENTS_TOPIC,
  SYNC_RESET,
  TASK_CREATED,
  TASK_EVENTS_TOPIC,
  TASK_UPDATED,
  buildEvent,
  eventEnvelopeSchema,
  eventJsonSchemas,
  eventTypesOn,
  parseEvent,
  topicOf,
  type EventType,
  type PublishedEventType,
  type TypedEvent,
} from "./index.ts";
import { checkJsonSchema } from "./json-schema-check.ts";
import { SAMPLE_TASK_ID, sampleData, sampleTask } from "@todo/testkit";

const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/** What a subscriber receives: the event as JSON bytes, parsed back. */
const overTheWire = (event: unknown) => JSON.parse(JSON.stringify(event)) as Record<string, unknown>;

/** The attributes daprd adds to an envelope it forwards. */
const daprdAttributes = {
  topic: "task-events",
  pubsubname: "pubsub",
  traceid: TRACEPARENT,
  traceparent: TRACEPARENT,
  tracestate: "",
  expiration: "2026-02-01T10:00:00Z",
};

const build = <T extends EventType>(type: T) => buildEvent(type, { source: "chat-api", data: sampleData(type) });

function expectFailure(raw: unknown, reason: string) {
  const result = parseEvent(raw);
  if (result.ok) throw new Error(`expected ${reason}, got a valid ${result.event.type}`);
  expect(result.reason).toBe(reason as typeof result.reason);
  return result;
}

describe("building and parsing catalogue events", () => {
  test.each(EVENT_TYPES)("%s survives a round trip over the wire", (type) => {
    const event = buildEvent(type, { source: "chat-api", data: sampleData(type), traceparent: TRACEPARENT });
    const result = parseEvent(overTheWire(event));
    if (!result.ok) throw new Error(result.message);
    expect(result.event.type).toBe(type);
    expect(result.event.id).toBe(event.id);
    expect(result.event.source).toBe("chat-api");
    expect(result.event.specversion).toBe("1.0");
    expect(result.event.datacontenttype).toBe("application/json");
    expect(result.event.traceparent).toBe(TRACEPARENT);
    expect(result.event.data).toEqual(sampleData(type));
    expect(result.event.dataschema).toBeUndefined();
  });

  test.each(EVENT_TYPES)("%s is accepted with the attributes daprd adds on delivery", (type) => {
    const result = parseEvent({ ...overTheWire(build(type)), ...daprdAttributes });
    if (!result.ok) throw new Error(result.message);
    expect(result.event.pubsubname).toBe("pubsub");
    expect(result.event.data).toEqual(sampleData(type));
  });

  test("the subject is the task id, taken from the payload", () => {
    expect(build(TASK_CREATED).subject).toBe(SAMPLE_TASK_ID);
    expect(build(REMINDER_CANCELLED).subject).toBe(SAMPLE_TASK_ID);
    expect(build(RECURRENCE_GENERATED).subject).toBe(SAMPLE_TASK_ID);
    expect(build(SYNC_RESET).subject).toBeUndefined();
  });

  test("a subject that is not the task id is a programming error", () => {
    expect(() => buildEvent(TASK_CREATED, { source: "chat-api", subject: "other", data: sampleData(TASK_CREATED) })).toThrow(
      /subject other is not the task id/,
    );
  });

  test("given id and time are kept", () => {
    const event = buildEvent(TASK_CREATED, {
      source: "chat-api",
      id: "outbox-42",
      time: new Date("2026-01-01T00:00:00Z"),
      data: sampleData(TASK_CREATED),
    });
    expect(event.id).toBe("outbox-42");
    expect(overTheWire(event).time).toBe("2026-01-01T00:00:00.000Z");
  });

  test("a malformed traceparent is left out instead of propagated", () => {
    const event = buildEvent(TASK_CREATED, { source: "chat-api", traceparent: "not-a-trace", data: sampleData(TASK_CREATED) });
    expect(overTheWire(event)).not.toHaveProperty("traceparent");
  });

  test("ids are time-ordered: later events sort after earlier ones", async () => {
    const ids = Array.from({ length: 500 }, () => build(TASK_UPDATED).id);
    expect([...ids].sort()).toEqual(ids);
    const before = build(TASK_UPDATED);
    const millisecond = Date.now();
    while (Date.now() === millisecond) await Promise.resolve();
    expect(build(TASK_UPDATED).id > before.id).toBe(true);
  });

  test("data that arrives as a JSON string is parsed", () => {
    const wire = overTheWire(build(TASK_CREATED));
    const result = parseEvent({ ...wire, data: JSON.stringify(wire.data), datacontenttype: "text/plain" });
    if (!result.ok) throw new Error(result.message);
    expect(result.event.data).toEqual(sampleData(TASK_CREATED));
  });

  test("data that arrives as a non-JSON string is invalid data", () => {
    expectFailure({ ...overTheWire(build(TASK_CREATED)), data: "hello" }, "invalid-data");
  });

  test("the parsed event narrows on its type", () => {
    const result = parseEvent(overTheWire(build(TASK_UPDATED)));
    if (!result.ok) throw new Error(result.message);
    const event: TypedEvent = result.event;
    const changed = event.type === TASK_UPDATED ? event.data.changed : [];
    expect(changed).toEqual(["title", "tags"]);
  });

  test("payloads may carry fields a consumer does not know yet", () => {
    const wire = overTheWire(build(TASK_CREATED));
    const data = wire.data as Record<string, unknown>;
    const result = parseEvent({ ...wire, data: { ...data, origin: "chat", task: { ...(data.task as object), colour: "red" } } });
    expect(result.ok).toBe(true);
  });
});

describe("invalid payloads", () => {
  const invalid: [string, EventType, (data: Record<string, unknown>) => unknown, string][] = [
    ["a title over 200 characters", TASK_CREATED, (d) => ({ ...d, task: sampleTask({ title: "x".repeat(201) }) }), "/data/task/title"],
    ["an upper-case tag", TASK_CREATED, (d) => ({ ...d, task: sampleTask({ tags: ["Home"] }) }), "/data/task/tags/0"],
    ["a due date without offset", TASK_CREATED, (d) => ({ ...d, task: sampleTask({ dueAt: "2026-02-01T09:00:00" }) }), "/data/task/dueAt"],
    ["a task id that is not a UUID", TASK_CREATED, (d) => ({ ...d, task: sampleTask({ id: "42" }) }), "/data/task/id"],
    ["version 0", TASK_CREATED, (d) => ({ ...d, version: 0 }), "/data/version"],
    ["a missing userId", TASK_CREATED, ({ userId: _userId, ...d }) => d, "/data/userId"],
    ["an update that changed nothing", TASK_UPDATED, (d) => ({ ...d, changed: [] }), "/data/changed"],
    ["an unknown cancel reason", REMINDER_CANCELLED, (d) => ({ ...d, reason: "bored" }), "/data/reason"],
  ];

  test.each(invalid)("%s is rejected on parse, naming the path", (_name, type, breakIt, path) => {
    const wire = overTheWire(build(type));
    const result = expectFailure({ ...wire, data: breakIt(wire.data as Record<string, unknown>) }, "invalid-data");
    expect(result.message).toContain(path);
    expect(result.id).toBe(wire.id as string);
  });

  test.each(invalid)("%s refuses to build, naming the path", (_name, type, breakIt, path) => {
    const data = breakIt(sampleData(type) as Record<string, unknown>) as never;
    expect(() => buildEvent(type, { source: "chat-api", data })).toThrow(InvalidEventError);
    expect(() => buildEvent(type, { source: "chat-api", data })).toThrow(path);
  });

  test("a reminder whose taskId differs from its snapshot refuses to build", () => {
    const data = { ...sampleData("todo.reminder.scheduled.v1"), taskId: "0190f3a0-0000-7000-8000-0000000000ff" };
    expect(() => buildEvent("todo.reminder.scheduled.v1", { source: "notification", data })).toThrow(InvalidEventError);
  });
});

describe("envelopes that are not catalogue events", () => {
  test("an unknown type is reported as unknown-type", () => {
    const result = expectFailure({ ...overTheWire(build(TASK_CREATED)), type: "com.dapr.event.sent" }, "unknown-type");
    expect(result.message).toContain("com.dapr.event.sent");
  });

  test.each([
    ["null", null],
    ["an array", [overTheWire({ specversion: "1.0" })]],
    ["a string", "todo.task.created.v1"],
    ["a number", 42],
  ])("%s is malformed", (_name, raw) => {
    expectFailure(raw, "malformed");
  });

  test.each(["id", "specversion", "source", "type"])("an envelope without %s is malformed", (attribute) => {
    const wire = overTheWire(build(TASK_CREATED));
    delete wire[attribute];
    expectFailure(wire, "malformed");
  });

  test("specversion 0.3 is malformed", () => {
    expectFailure({ ...overTheWire(build(TASK_CREATED)), specversion: "0.3" }, "malformed");
  });

  test("an attribute name outside [a-z0-9] is malformed", () => {
    expectFailure({ ...overTheWire(build(TASK_CREATED)), traceParent: TRACEPARENT }, "malformed");
  });

  test("a time that is not RFC 3339 is malformed", () => {
    expectFailure({ ...overTheWire(build(TASK_CREATED)), time: "yesterday" }, "malformed");
  });
});

describe("topics", () => {
  test("each published type maps to its topic", () => {
    expect(topicOf(TASK_CREATED)).toBe(TASK_EVENTS_TOPIC);
    expect(topicOf(REMINDER_CANCELLED)).toBe(REMINDER_EVENTS_TOPIC);
    expect(topicOf(RECURRENCE_GENERATED)).toBe(RECURRING_EVENTS_TOPIC);
    expect(EVENT_TOPICS).toEqual([TASK_EVENTS_TOPIC, REMINDER_EVENTS_TOPIC, RECURRING_EVENTS_TOPIC]);
    expect(eventTypesOn(TASK_EVENTS_TOPIC)).toEqual([
      "todo.task.created.v1",
      "todo.task.updated.v1",
      "todo.task.completed.v1",
      "todo.task.deleted.v1",
    ]);
  });

  test("the WebSocket reset frame has no topic", () => {
    expect(() => topicOf(SYNC_RESET as unknown as PublishedEventType)).toThrow(/not published/);
  });
});

describe("exported JSON Schemas", () => {
  const schemas = eventJsonSchemas();

  test("there is one plain draft-07 object schema per type", () => {
    expect(Object.keys(schemas).sort()).toEqual([...EVENT_TYPES].sort());
    for (const [type, schema] of Object.entries(schemas)) {
      expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
      expect(schema.type).toBe("object");
      expect(schema.required).toEqual(expect.arrayContaining(["specversion", "id", "source", "type", "time", "data"]));
      expect((schema.properties as Record<string, { const?: string }>).type?.const).toBe(type);
      expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    }
  });

  test.each(EVENT_TYPES)("the %s schema accepts the event as delivered", (type) => {
    const delivered = { ...overTheWire(build(type)), ...daprdAttributes };
    expect(checkJsonSchema(schemas[type], delivered)).toEqual([]);
    expect(Value.Check(eventEnvelopeSchema(type), delivered)).toBe(true);
  });

  test("a schema rejects another type's event and a broken payload", () => {
    const created = overTheWire(build(TASK_CREATED));
    expect(checkJsonSchema(schemas[TASK_UPDATED], created)).not.toEqual([]);
    const broken = { ...created, data: { ...(created.data as object), task: sampleTask({ priority: "urgent" as "high" }) } };
    expect(checkJsonSchema(schemas[TASK_CREATED], broken).join()).toContain("/data/task/priority");
  });
});

describe("export-event-schemas script", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  test("writes one schema file per type into the given folder", async () => {
    const dir = await mkdtemp(join(tmpdir(), "event-schemas-"));
    dirs.push(dir);
    const script = resolve(import.meta.dir, "../../scripts/export-event-schemas.ts");
    const run = Bun.spawn(["bun", script, join(dir, "events")], { stdout: "pipe", stderr: "pipe" });
    expect(await run.exited).toBe(0);
    const files = (await readdir(join(dir, "events"))).sort();
    expect(files).toEqual(EVENT_TYPES.map((type) => `${type}.json`).sort());
    const written = await Bun.file(join(dir, "events", `${TASK_CREATED}.json`)).json();
    expect(written).toEqual(eventJsonSchemas()[TASK_CREATED]);
  });
});
