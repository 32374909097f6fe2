import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import {
  REMINDER_EVENTS_TOPIC,
  REMINDER_SCHEDULED,
  REMINDER_TRIGGERED,
  TASK_CREATED,
  TASK_EVENTS_TOPIC,
  buildEvent,
  type EventType,
  type TypedEvent,
} from "../events/index.ts";
import { sampleData, sampleTask } from "@todo/testkit";
import { createMemoryLogger } from "../logger.ts";
import { DEFAULT_IDEMPOTENCY_TTL_SECONDS, defineSubscription, subscriptions, type DeliveryOutcome, type HandlerResult } from "./index.ts";
import { createMemoryStateClient } from "@todo/testkit";

const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const OTHER_TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
const TASK_ROUTE = "/events/task-events";
const REMINDER_ROUTE = "/events/reminders";

function setup() {
  const dapr = createMemoryStateClient();
  const logger = createMemoryLogger("audit");
  const handled: TypedEvent[] = [];
  const triggered: string[] = [];
  const outcomes: [string, DeliveryOutcome][] = [];
  const behaviour: { next: (event: TypedEvent) => HandlerResult | Promise<HandlerResult> } = { next: () => {} };
  const app = new Elysia().use(
    subscriptions({
      dapr,
      stateStore: "statestore",
      logger,
      appId: "audit",
      metrics: { delivered: (topic, outcome) => outcomes.push([topic, outcome]) },
      subscriptions: [
        {
          pubsub: "pubsub",
          topic: TASK_EVENTS_TOPIC,
          route: TASK_ROUTE,
          deadLetterTopic: "dead-letters",
          handler: async (event, { logger }) => {
            handled.push(event);
            logger.info("handling");
            return behaviour.next(event);
          },
        },
        defineSubscription({
          pubsub: "pubsub",
          topic: REMINDER_EVENTS_TOPIC,
          route: REMINDER_ROUTE,
          types: [REMINDER_TRIGGERED],
          handler: async (event) => {
            triggered.push(event.data.firedAt);
          },
        }),
      ],
    }),
  );

  const post = async (route: string, body: unknown, init: { contentType?: string; headers?: Record<string, string> } = {}) => {
    const response = await app.handle(
      new Request(`http://localhost${route}`, {
        method: "POST",
        headers: { "content-type": init.contentType ?? "application/cloudevents+json", ...init.headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as { status: string }).status;
  };
  return { app, dapr, logger, handled, triggered, outcomes, behaviour, post };
}

/** The event as daprd delivers it: our envelope plus the attributes the sidecar adds. */
function delivered<T extends EventType>(type: T, options: { traceparent?: string; id?: string } = {}) {
  const event = buildEvent(type, { source: "chat-api", data: sampleData(type), ...options });
  return { ...JSON.parse(JSON.stringify(event)), topic: "task-events", pubsubname: "pubsub", tracestate: "" } as Record<string, unknown>;
}

describe("GET /dapr/subscribe", () => {
  test("lists every subscription in Dapr's programmatic format", async () => {
    const { app } = setup();
    const response = await app.handle(new Request("http://localhost/dapr/subscribe"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([
      { pubsubname: "pubsub", topic: "task-events", route: TASK_ROUTE, deadLetterTopic: "dead-letters" },
      { pubsubname: "pubsub", topic: "reminder-events", route: REMINDER_ROUTE },
    ]);
  });
});

describe("event delivery", () => {
  test("a new event runs the handler once; a redelivery of the same id does not run it again", async () => {
    const { post, handled, dapr, outcomes } = setup();
    const event = delivered(TASK_CREATED);
    expect(await post(TASK_ROUTE, event)).toBe("SUCCESS");
    expect(handled.map((e) => e.id)).toEqual([event.id as string]);
    expect(handled[0]?.data).toEqual(sampleData(TASK_CREATED));

    expect(await post(TASK_ROUTE, event)).toBe("SUCCESS");
    expect(handled).toHaveLength(1);
    expect(outcomes).toEqual([
      ["task-events", "processed"],
      ["task-events", "duplicate"],
    ]);
    const records = [...(dapr.stores.get("statestore")?.values() ?? [])];
    expect(records).toHaveLength(1);
    expect(records[0]?.key).not.toContain("||");
    expect(records[0]?.ttlInSeconds).toBe(DEFAULT_IDEMPOTENCY_TTL_SECONDS);
  });

  test("different events are each handled", async () => {
    const { post, handled } = setup();
    await post(TASK_ROUTE, delivered(TASK_CREATED));
    await post(TASK_ROUTE, delivered(TASK_CREATED));
    expect(handled).toHaveLength(2);
  });

  test("a handler that throws gets RETRY, and a later delivery succeeds", async () => {
    const { post, handled, behaviour, logger } = setup();
    const event = delivered(TASK_CREATED);
    behaviour.next = () => {
      throw new Error("database unavailable");
    };
    expect(await post(TASK_ROUTE, event)).toBe("RETRY");
    const failure = logger.records.find((record) => record.level === "error");
    expect(failure).toMatchObject({ eventId: event.id, msg: expect.stringContaining("handler failed") });

    behaviour.next = () => {};
    expect(await post(TASK_ROUTE, event)).toBe("SUCCESS");
    expect(handled).toHaveLength(2);
    expect(await post(TASK_ROUTE, event)).toBe("SUCCESS");
    expect(handled).toHaveLength(2);
  });

  test("a handler that returns RETRY is asked again on redelivery", async () => {
    const { post, handled, behaviour } = setup();
    const event = delivered(TASK_CREATED);
    behaviour.next = () => "RETRY";
    expect(await post(TASK_ROUTE, event)).toBe("RETRY");
    behaviour.next = () => {};
    expect(await post(TASK_ROUTE, event)).toBe("SUCCESS");
    expect(handled).toHaveLength(2);
  });

  test.each(["application/cloudevents+json", "application/json", "text/plain"])("a body sent as %s is read", async (contentType) => {
    const { post, handled } = setup();
    expect(await post(TASK_ROUTE, delivered(TASK_CREATED), { contentType })).toBe("SUCCESS");
    expect(handled).toHaveLength(1);
  });

  test("an event type outside the route's types is acknowledged without running the handler", async () => {
    const { post, triggered, outcomes } = setup();
    expect(await post(REMINDER_ROUTE, delivered(REMINDER_SCHEDULED))).toBe("SUCCESS");
    expect(triggered).toEqual([]);
    expect(await post(REMINDER_ROUTE, delivered(REMINDER_TRIGGERED))).toBe("SUCCESS");
    expect(triggered).toEqual([sampleData(REMINDER_TRIGGERED).firedAt]);
    expect(outcomes.map(([, outcome]) => outcome)).toEqual(["skipped", "processed"]);
  });
});

describe("events that cannot be handled are dropped", () => {
  const wellFormed = () => delivered(TASK_CREATED);
  const cases: [string, () => unknown, string][] = [
    ["a body that is not JSON", () => "{not json", "malformed"],
    ["an envelope without id", () => ({ ...wellFormed(), id: undefined }), "malformed"],
    ["an unknown event type", () => ({ ...wellFormed(), type: "com.example.unknown.v1" }), "unknown-type"],
    [
      "a payload that breaks the schema",
      () => ({ ...wellFormed(), data: { ...sampleData(TASK_CREATED), task: sampleTask({ title: "" }) } }),
      "invalid-data",
    ],
  ];

  test.each(cases)("%s -> DROP with a warning naming the reason", async (_name, body, reason) => {
    const { post, handled, logger, outcomes } = setup();
    expect(await post(TASK_ROUTE, body())).toBe("DROP");
    expect(handled).toHaveLength(0);
    expect(logger.records).toContainEqual(expect.objectContaining({ level: "warn", reason, topic: "task-events" }));
    expect(outcomes).toEqual([["task-events", "dropped"]]);
  });

  test("the warning for an invalid payload carries the event id and the failing path", async () => {
    const { post, logger } = setup();
    const event = wellFormed();
    await post(TASK_ROUTE, { ...event, data: { ...sampleData(TASK_CREATED), version: 0 } });
    expect(logger.records).toContainEqual(
      expect.objectContaining({ level: "warn", eventId: event.id, detail: expect.stringContaining("/data/version") }),
    );
  });

  test("a handler that returns DROP gets DROP and is not asked again", async () => {
    const { post, handled, behaviour, logger } = setup();
    const event = delivered(TASK_CREATED);
    behaviour.next = () => "DROP";
    expect(await post(TASK_ROUTE, event)).toBe("DROP");
    expect(handled).toHaveLength(1);
    expect(logger.records).toContainEqual(expect.objectContaining({ level: "warn", eventId: event.id, reason: "handler" }));
  });
});

describe("trace context in logs", () => {
  test("every line of a delivery carries event id, type, topic and the event's traceparent", async () => {
    const { post, logger } = setup();
    const event = delivered(TASK_CREATED, { traceparent: TRACEPARENT });
    await post(TASK_ROUTE, event, { headers: { traceparent: OTHER_TRACEPARENT } });
    expect(logger.records.length).toBeGreaterThanOrEqual(2);
    for (const record of logger.records) {
      expect(record).toMatchObject({ eventId: event.id, eventType: TASK_CREATED, topic: "task-events", traceparent: TRACEPARENT });
    }
  });

  test("without a traceparent in the event, the header's is used", async () => {
    const { post, logger } = setup();
    const event = delivered(TASK_CREATED);
    await post(TASK_ROUTE, event, { headers: { traceparent: OTHER_TRACEPARENT } });
    expect(logger.records).toContainEqual(expect.objectContaining({ msg: "handling", eventId: event.id, traceparent: OTHER_TRACEPARENT }));
  });
});

describe("when the state store fails", () => {
  test("a failed read of the processed record gives RETRY without running the handler", async () => {
    const { post, handled, dapr, logger } = setup();
    const event = delivered(TASK_CREATED);
    dapr.failReads = new Error("ERR_STATE_GET");
    expect(await post(TASK_ROUTE, event)).toBe("RETRY");
    expect(handled).toHaveLength(0);
    expect(logger.records).toContainEqual(expect.objectContaining({ level: "error", eventId: event.id }));

    dapr.failReads = undefined;
    expect(await post(TASK_ROUTE, event)).toBe("SUCCESS");
    expect(handled).toHaveLength(1);
  });

  test("a failed write after the handler succeeded still answers SUCCESS, with a warning", async () => {
    const { post, handled, dapr, logger } = setup();
    const event = delivered(TASK_CREATED);
    dapr.failWrites = new Error("ERR_STATE_SAVE");
    expect(await post(TASK_ROUTE, event)).toBe("SUCCESS");
    expect(handled).toHaveLength(1);
    expect(logger.records).toContainEqual(expect.objectContaining({ level: "warn", eventId: event.id, msg: expect.stringContaining("not recorded") }));
  });
});

describe("configuration", () => {
  const base = { dapr: createMemoryStateClient(), stateStore: "statestore", logger: createMemoryLogger(), appId: "audit" };
  const handler = () => {};

  test("two subscriptions on one route are refused", () => {
    const sub = { pubsub: "pubsub", topic: "task-events", route: "/events", handler };
    expect(() => subscriptions({ ...base, subscriptions: [sub, { ...sub, topic: "reminder-events" }] })).toThrow(/share the route/);
  });

  test("a route without a leading slash is refused", () => {
    expect(() => subscriptions({ ...base, subscriptions: [{ pubsub: "pubsub", topic: "t", route: "events", handler }] })).toThrow(/start with/);
  });

  test("the record TTL can be shortened", async () => {
    const dapr = createMemoryStateClient();
    const app = new Elysia().use(
      subscriptions({ ...base, dapr, idempotencyTtlSeconds: 60, subscriptions: [{ pubsub: "pubsub", topic: "task-events", route: "/e", handler }] }),
    );
    await app.handle(new Request("http://localhost/e", { method: "POST", body: JSON.stringify(delivered(TASK_CREATED)) }));
    expect([...(dapr.stores.get("statestore")?.values() ?? [])].map((item) => item.ttlInSeconds)).toEqual([60]);
  });
});
