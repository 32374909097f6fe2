import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { buildEvent, createDaprClient, createMemoryLogger, subscriptions, type Subscription } from "@todo/common";
import { blankTask, waitFor } from "@todo/common/testing";
import { Elysia } from "elysia";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inProcessChannel } from "../../services/embedded/src/runtime/app-channel.ts";
import { createRuntime, type Runtime } from "../../services/embedded/src/runtime/runtime.ts";

/**
 * The subscription helper on the embedded runtime, end to end: events
 * published through one app's sidecar reach another app's handler once,
 * its idempotency records live in real Dapr state, and what it drops lands
 * on the dead-letter topic.
 */
let dataDir: string;
let runtime: Runtime;
let handled: string[];
let failNext: number;
let deadLetters: unknown[];

const task = (id: string) => blankTask({ id });

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "todo-flow-"));
  handled = [];
  failNext = 0;
  deadLetters = [];
  runtime = createRuntime({
    dataDir,
    logger: createMemoryLogger("runtime"),
    delivery: { initialRetryMs: 10, maxRetryIntervalMs: 20, maxRetries: 2 },
  });
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
      dapr: createDaprClient({ baseUrl: "http://dapr.local", fetch: runtime.sidecar("audit") }),
      stateStore: "statestore",
      logger: createMemoryLogger("audit"),
      subscriptions: [consumer],
    }),
  );
  runtime.registerApp(inProcessChannel("audit", (request) => audit.handle(request)));
  // An operator's view of the dead-letter topic.
  runtime.registerApp(
    inProcessChannel("inspector", async (request) => {
      const { pathname } = new URL(request.url);
      if (pathname === "/dapr/subscribe") {
        return Response.json([{ pubsubname: "pubsub", topic: "audit-dead-letters", route: "/dead" }]);
      }
      deadLetters.push(await request.json());
      return Response.json({ status: "SUCCESS" });
    }),
  );
  await runtime.start();
});

afterEach(async () => {
  await runtime.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const publisher = () => createDaprClient({ baseUrl: "http://dapr.local", fetch: runtime.sidecar("chat-api") });

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
    expect(deadLetters).toEqual([]);
  });

  test("an event that is not in the catalogue lands on the dead-letter topic", async () => {
    await publisher().publish("pubsub", "task-events", { title: "not a CloudEvent of ours" });
    const [dead] = await waitFor(() => deadLetters.length > 0 && deadLetters, { message: "a dead letter" });
    expect(dead).toMatchObject({ type: "com.dapr.event.sent", data: { title: "not a CloudEvent of ours" } });
    expect(handled).toEqual([]);
  });
});
