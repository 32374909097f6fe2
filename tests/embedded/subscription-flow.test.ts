import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { buildEvent, createMemoryLogger, subscriptions, type Subscription } from "@todo/common";
import { blankTask, inProcessChannel, recorderApp, runtimeFixture, waitFor, type RuntimeFixture } from "@todo/testkit";
import { Elysia } from "elysia";

/**
 * The subscription helper on the embedded runtime, end to end: events
 * published through one app's sidecar reach another app's handler once,
 * its idempotency records live in real Dapr state, and what it drops lands
 * on the dead-letter topic.
 */
let fixture: RuntimeFixture;
let handled: string[];
let failNext: number;
let inspector: ReturnType<typeof recorderApp>;
const deadLetters = () => inspector.deliveries.map((delivery) => delivery.event);

const task = (id: string) => blankTask({ id });

beforeEach(async () => {
  fixture = runtimeFixture({ delivery: { initialRetryMs: 10, maxRetryIntervalMs: 20, maxRetries: 2 } });
  const runtime = fixture.runtime();
  handled = [];
  failNext = 0;
  const consumer: Subscription = {
    pubsub: "pubsub",
    topic: "task-events",
    route: "/events/task-events",
    deadLetterTopic: "audit-dead-letters",
    handler: async (event) => {
      if (failNext > 0) {
        failNext--;
        throw new Error("database busy");
      }
      handled.push(event.id);
    },
  };
  const audit = new Elysia().use(
    subscriptions({
      appId: "audit",
      dapr: fixture.sidecar("audit"),
      stateStore: "statestore",
      logger: createMemoryLogger("audit"),
      subscriptions: [consumer],
    }),
  );
  runtime.registerApp(inProcessChannel("audit", (request) => audit.handle(request)));
  // An operator's view of the dead-letter topic.
  inspector = recorderApp("inspector", [{ pubsubname: "pubsub", topic: "audit-dead-letters", route: "/dead" }]);
  runtime.registerApp(inspector.channel);
  await runtime.start();
});

afterEach(() => fixture.cleanup());

const publisher = () => fixture.sidecar("chat-api");

describe("subscription helper on the embedded runtime", () => {
  test("an event published twice with the same id is handled once", async () => {
    const event = buildEvent("todo.task.created.v1", {
      source: "chat-api",
      data: { userId: blankTask().userId, version: 1, task: task("0192f7a0-0000-7000-8000-000000000001") },
    });
    const marker = buildEvent("todo.task.created.v1", {
      source: "chat-api",
      data: { userId: blankTask().userId, version: 1, task: task("0192f7a0-0000-7000-8000-000000000001") },
    });
    const dapr = publisher();
    const key = { partitionKey: event.subject };
    await dapr.publish("pubsub", "task-events", event, key);
    await dapr.publish("pubsub", "task-events", event, key);
    await dapr.publish("pubsub", "task-events", marker, key);
    // Same partition key: once the marker is handled, both copies were delivered before it.
    await waitFor(() => handled.includes(marker.id), { message: "the marker event" });
    expect(handled).toEqual([event.id, marker.id]);
  });

  test("a handler that throws is retried until it succeeds", async () => {
    failNext = 2;
    const event = buildEvent("todo.task.deleted.v1", {
      source: "chat-api",
      data: { userId: blankTask().userId, version: 2, task: task("0192f7a0-0000-7000-8000-000000000002") },
    });
    await publisher().publish("pubsub", "task-events", event, { partitionKey: event.subject });
    await waitFor(() => handled.includes(event.id), { message: "the retried event" });
    expect(handled).toEqual([event.id]);
    expect(deadLetters()).toEqual([]);
  });

  test("an event that is not in the catalogue lands on the dead-letter topic", async () => {
    await publisher().publish("pubsub", "task-events", { title: "not a CloudEvent of ours" });
    const [dead] = await waitFor(() => deadLetters().length > 0 && deadLetters(), { message: "a dead letter" });
    expect(dead).toMatchObject({ type: "com.dapr.event.sent", data: { title: "not a CloudEvent of ours" } });
    expect(handled).toEqual([]);
  });
});
