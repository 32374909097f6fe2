import { afterEach, describe, expect, test } from "bun:test";
import { waitFor } from "@todo/testkit";
import { publishRequest, runtimeFixture, recorderApp, type RuntimeFixture } from "@todo/testkit";

/** Publish and delivery through the embedded runtime, as the services see them. */
let fixture: RuntimeFixture;
afterEach(async () => {
  await fixture.cleanup();
});

async function startWith(...apps: ReturnType<typeof recorderApp>[]) {
  fixture = runtimeFixture();
  const runtime = fixture.runtime();
  for (const app of apps) runtime.registerApp(app.channel);
  await runtime.start();
  return runtime;
}

describe("delivery", () => {
  test("a published JSON body arrives as the CloudEvent daprd builds, with Kafka-like headers", async () => {
    const audit = recorderApp("audit", [{ pubsubname: "pubsub", topic: "task-events", route: "/events/tasks" }]);
    const runtime = await startWith(audit);
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const response = await runtime.sidecar("chat-api")(
      publishRequest("task-events", { taskId: "t1", big: 12345678901234567890n.toString() }, {
        query: "metadata.partitionKey=t1",
        headers: { traceparent },
      }),
    );
    expect(response.status).toBe(204);

    const [delivery] = await waitFor(() => (audit.deliveries.length === 1 ? audit.deliveries : undefined));
    expect(delivery?.path).toBe("/events/tasks");
    expect(delivery?.event).toMatchObject({
      specversion: "1.0",
      source: "chat-api",
      type: "com.dapr.event.sent",
      datacontenttype: "application/json",
      topic: "task-events",
      pubsubname: "pubsub",
      traceid: traceparent,
      traceparent,
      data: { taskId: "t1" },
    });
    expect(delivery?.event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(delivery?.event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(delivery?.headers.get("content-type")).toBe("application/cloudevents+json");
    expect(delivery?.headers.get("traceparent")).toBe(traceparent);
    expect(delivery?.headers.get("__key")).toBe("t1");
    expect(delivery?.headers.get("__topic")).toBe("task-events");
    expect(delivery?.headers.get("__partition")).toMatch(/^\d+$/);
    expect(Number(delivery?.headers.get("__offset"))).toBeGreaterThan(0);
  });

  test("integers beyond 2^53 in published JSON reach the subscriber exactly", async () => {
    let body = "";
    const app = recorderApp("audit", [{ pubsubname: "pubsub", topic: "t", route: "/e" }]);
    const runtime = await startWith(app);
    app.reply = () => Response.json({});
    const original = app.channel.call;
    app.channel.call = async (path, init) => {
      if (path === "/e") body = await new Response(init?.body).text();
      return original(path, init);
    };
    await runtime.sidecar("chat-api")(publishRequest("t", '{"id":12345678901234567890}'));
    await waitFor(() => body !== "");
    expect(body).toContain('"data":{"id":12345678901234567890}');
  });

  test("an own CloudEvent (application/cloudevents+json) keeps its id, type, source and time", async () => {
    const app = recorderApp("audit", [{ pubsubname: "pubsub", topic: "task-events", route: "/e" }]);
    const runtime = await startWith(app);
    const event = {
      specversion: "1.0",
      id: "01J9Z1Y7ZK3V4W5X6Y7Z8A9B0C",
      type: "todo.task.created.v1",
      source: "/chat-api/tasks",
      time: "2026-01-01T09:00:00.123Z",
      subject: "t1",
      datacontenttype: "application/json",
      data: { taskId: "t1" },
    };
    await runtime.sidecar("chat-api")(publishRequest("task-events", event, { contentType: "application/cloudevents+json" }));
    const [delivery] = await waitFor(() => (app.deliveries.length === 1 ? app.deliveries : undefined));
    expect(delivery?.event).toMatchObject({ ...event, topic: "task-events", pubsubname: "pubsub" });
  });

  test("events with the same partition key arrive in publish order even when the handler is slow", async () => {
    const app = recorderApp("audit", [{ pubsubname: "pubsub", topic: "task-events", route: "/e" }]);
    const runtime = await startWith(app);
    const inFlight = new Set<string>();
    let overlapped = false;
    app.reply = async ({ event }) => {
      const key = (event.data as { key: string }).key;
      if (inFlight.has(key)) overlapped = true;
      inFlight.add(key);
      await Bun.sleep(2);
      inFlight.delete(key);
      return Response.json({ status: "SUCCESS" });
    };
    const sidecar = runtime.sidecar("chat-api");
    const keys = ["a", "b", "c"];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => {
        const key = keys[i % 3] as string;
        return sidecar(publishRequest("task-events", { key, n: i }, { query: `metadata.partitionKey=${key}` }));
      }),
    );
    await waitFor(() => app.deliveries.length === 30, { message: "30 deliveries" });
    for (const key of keys) {
      const order = app.deliveries.map((d) => d.event.data as { key: string; n: number }).filter((d) => d.key === key);
      expect(order.map((d) => d.n)).toEqual([...order.map((d) => d.n)].sort((a, b) => a - b));
    }
    expect(overlapped).toBe(false);
  });

  test("an event answered RETRY is delivered again until the app answers SUCCESS", async () => {
    const app = recorderApp("audit", [{ pubsubname: "pubsub", topic: "t", route: "/e" }]);
    const runtime = await startWith(app);
    app.reply = () => Response.json({ status: app.deliveries.length < 3 ? "RETRY" : "SUCCESS" });
    await runtime.sidecar("chat-api")(publishRequest("t", { n: 1 }));
    await waitFor(() => app.deliveries.length === 3);
    const ids = new Set(app.deliveries.map((d) => d.event.id));
    expect(ids.size).toBe(1);
    await runtime.sidecar("chat-api")(publishRequest("t", { n: 2 }));
    await waitFor(() => app.deliveries.length === 4, { message: "the next event after the retried one" });
    expect(app.deliveries[3]?.event.data).toEqual({ n: 2 });
  });

  test("after the retries are exhausted the event goes to the dead-letter topic and the partition moves on", async () => {
    const app = recorderApp("audit", [
      { pubsubname: "pubsub", topic: "t", route: "/e", deadLetterTopic: "t-dlq" },
      { pubsubname: "pubsub", topic: "t-dlq", route: "/dlq" },
    ]);
    const runtime = await startWith(app);
    app.reply = ({ path, event }) =>
      path === "/e" && (event.data as { n: number }).n === 1 ? new Response("boom", { status: 500 }) : Response.json({});
    await runtime.sidecar("chat-api")(publishRequest("t", { n: 1 }, { query: "metadata.partitionKey=k" }));
    await runtime.sidecar("chat-api")(publishRequest("t", { n: 2 }, { query: "metadata.partitionKey=k" }));

    const dead = await waitFor(() => app.deliveries.find((d) => d.path === "/dlq"), { message: "the dead-lettered event" });
    expect(dead.event.data).toEqual({ n: 1 });
    // The original envelope is forwarded unchanged.
    expect(dead.event.topic).toBe("t");
    const attempts = app.deliveries.filter((d) => d.path === "/e" && (d.event.data as { n: number }).n === 1);
    expect(attempts.length).toBe(4); // the first attempt and maxRetries (3) retries
    await waitFor(() => app.deliveries.some((d) => d.path === "/e" && (d.event.data as { n: number }).n === 2));
  });

  test("without a dead-letter topic a failing event keeps being retried, blocking its partition, with an error logged", async () => {
    const app = recorderApp("audit", [{ pubsubname: "pubsub", topic: "t", route: "/e" }]);
    const runtime = await startWith(app);
    app.reply = () => new Response("down", { status: 503 });
    await runtime.sidecar("chat-api")(publishRequest("t", { n: 1 }, { query: "metadata.partitionKey=k" }));
    await runtime.sidecar("chat-api")(publishRequest("t", { n: 2 }, { query: "metadata.partitionKey=k" }));
    // maxRetries is 3: well past it, still the first event, never the second.
    await waitFor(() => app.deliveries.length >= 7, { message: "retries beyond maxRetries" });
    expect(app.deliveries.every((d) => (d.event.data as { n: number }).n === 1)).toBe(true);
    expect(fixture.logger.records.filter((r) => r.level === "error").length).toBeGreaterThanOrEqual(2);
  });

  test("DROP acknowledges the event and forwards it to the dead-letter topic at once", async () => {
    const app = recorderApp("audit", [
      { pubsubname: "pubsub", topic: "t", route: "/e", deadLetterTopic: "t-dlq" },
      { pubsubname: "pubsub", topic: "t-dlq", route: "/dlq" },
    ]);
    const runtime = await startWith(app);
    app.reply = ({ path }) => Response.json({ status: path === "/e" ? "DROP" : "SUCCESS" });
    await runtime.sidecar("chat-api")(publishRequest("t", { n: 1 }));
    await waitFor(() => app.deliveries.some((d) => d.path === "/dlq"));
    expect(app.deliveries.filter((d) => d.path === "/e")).toHaveLength(1);
  });

  test("a 404 answer drops the event without retrying", async () => {
    const app = recorderApp("audit", [{ pubsubname: "pubsub", topic: "t", route: "/e" }]);
    const runtime = await startWith(app);
    app.reply = ({ event }) =>
      (event.data as { n: number }).n === 1 ? new Response("no such route", { status: 404 }) : Response.json({});
    await runtime.sidecar("chat-api")(publishRequest("t", { n: 1 }, { query: "metadata.partitionKey=k" }));
    await runtime.sidecar("chat-api")(publishRequest("t", { n: 2 }, { query: "metadata.partitionKey=k" }));
    await waitFor(() => app.deliveries.length === 2);
    expect(app.deliveries.map((d) => (d.event.data as { n: number }).n)).toEqual([1, 2]);
  });

  test("a lowercase 'success' status is not SUCCESS (daprd compares case-sensitively) and is retried", async () => {
    const app = recorderApp("audit", [{ pubsubname: "pubsub", topic: "t", route: "/e" }]);
    const runtime = await startWith(app);
    app.reply = () => Response.json({ status: app.deliveries.length === 1 ? "success" : "SUCCESS" });
    await runtime.sidecar("chat-api")(publishRequest("t", { n: 1 }));
    await waitFor(() => app.deliveries.length === 2);
  });

  test("events are routed by rule on event.type, with the default route for the rest", async () => {
    const app = recorderApp("audit", [
      {
        pubsubname: "pubsub",
        topic: "task-events",
        routes: {
          rules: [
            { match: 'event.type == "todo.task.completed.v1"', path: "/completed" },
            { match: "event.data.priority > 3", path: "/never" },
          ],
          default: "/other",
        },
      },
    ]);
    const runtime = await startWith(app);
    const publish = (type: string) =>
      runtime.sidecar("chat-api")(
        publishRequest("task-events", { id: type, type, specversion: "1.0", source: "x", data: {} }, {
          contentType: "application/cloudevents+json",
        }),
      );
    await publish("todo.task.completed.v1");
    await publish("todo.task.created.v1");
    await waitFor(() => app.deliveries.length === 2);
    const byType = Object.fromEntries(app.deliveries.map((d) => [d.event.type, d.path]));
    expect(byType).toEqual({ "todo.task.completed.v1": "/completed", "todo.task.created.v1": "/other" });
    expect(fixture.logger.records.some((r) => r.level === "warn" && String(r.msg).includes("routing rule"))).toBe(true);
  });

  test("an event matching no rule and no default is acknowledged without delivery", async () => {
    const app = recorderApp("audit", [
      { pubsubname: "pubsub", topic: "t", routes: { rules: [{ match: 'event.type == "wanted"', path: "/wanted" }] } },
    ]);
    const runtime = await startWith(app);
    const sidecar = runtime.sidecar("chat-api");
    await sidecar(publishRequest("t", { n: 1 }, { query: "metadata.partitionKey=k" }));
    await sidecar(publishRequest("t", { n: 2 }, { query: "metadata.partitionKey=k&metadata.cloudevent.type=wanted" }));
    await waitFor(() => app.deliveries.length === 1);
    expect(app.deliveries[0]?.event.data).toEqual({ n: 2 });
  });

  test("an expired event (ttlInSeconds) is not delivered", async () => {
    const app = recorderApp("audit", [{ pubsubname: "pubsub", topic: "t", route: "/e" }]);
    fixture = runtimeFixture();
    const first = fixture.runtime();
    // Published while nobody consumes, then consumed after the TTL passed.
    await first.sidecar("chat-api")(publishRequest("t", { n: 1 }, { query: "metadata.ttlInSeconds=1" }));
    await first.sidecar("chat-api")(publishRequest("t", { n: 2 }));
    await first.stop();
    const second = fixture.runtime({ now: () => Date.now() + 2000 });
    second.registerApp(app.channel);
    await second.start();
    await waitFor(() => app.deliveries.length === 1);
    expect(app.deliveries[0]?.event.data).toEqual({ n: 2 });
  });

  test("every subscribing app gets every event (one consumer group per app)", async () => {
    const audit = recorderApp("audit", [{ pubsubname: "pubsub", topic: "t", route: "/e" }]);
    const websocket = recorderApp("websocket", [{ pubsubname: "pubsub", topic: "t", route: "/e" }]);
    const runtime = await startWith(audit, websocket);
    await runtime.sidecar("chat-api")(publishRequest("t", { n: 1 }));
    await waitFor(() => audit.deliveries.length === 1 && websocket.deliveries.length === 1);
  });
});

describe("durability", () => {
  test("events published before the subscriber started are delivered from the oldest", async () => {
    fixture = runtimeFixture();
    const first = fixture.runtime();
    await first.sidecar("chat-api")(publishRequest("t", { n: 1 }));
    await first.stop();
    const app = recorderApp("audit", [{ pubsubname: "pubsub", topic: "t", route: "/e" }]);
    const second = fixture.runtime();
    second.registerApp(app.channel);
    await second.start();
    await waitFor(() => app.deliveries.length === 1);
  });

  test("unacknowledged events are redelivered after a restart on the same data dir, acknowledged ones are not", async () => {
    fixture = runtimeFixture();
    const subscriptions = [{ pubsubname: "pubsub", topic: "t", route: "/e" }];
    const before = recorderApp("audit", subscriptions);
    before.reply = ({ event }) =>
      Response.json({ status: (event.data as { n: number }).n === 1 ? "SUCCESS" : "RETRY" });
    const first = fixture.runtime({ delivery: { maxRetryIntervalMs: 5, partitions: 1 } });
    first.registerApp(before.channel);
    await first.start();
    await first.sidecar("chat-api")(publishRequest("t", { n: 1 }));
    await first.sidecar("chat-api")(publishRequest("t", { n: 2 }));
    await waitFor(() => before.deliveries.some((d) => (d.event.data as { n: number }).n === 2));
    await first.stop();

    const after = recorderApp("audit", subscriptions);
    const second = fixture.runtime({ delivery: { partitions: 1 } });
    second.registerApp(after.channel);
    await second.start();
    await waitFor(() => after.deliveries.length >= 1);
    expect(after.deliveries.map((d) => d.event.data)).toEqual([{ n: 2 }]);
  });

  test("stop() waits for a delivery in flight and acknowledges it", async () => {
    fixture = runtimeFixture();
    const app = recorderApp("audit", [{ pubsubname: "pubsub", topic: "t", route: "/e" }]);
    let release: () => void = () => {};
    const started = Promise.withResolvers<void>();
    app.reply = async () => {
      started.resolve();
      await new Promise<void>((resolve) => (release = resolve));
      return Response.json({});
    };
    const first = fixture.runtime({ delivery: { partitions: 1 } });
    first.registerApp(app.channel);
    await first.start();
    await first.sidecar("chat-api")(publishRequest("t", { n: 1 }));
    await started.promise;
    const stopping = first.stop();
    release();
    await stopping;

    const again = recorderApp("audit", [{ pubsubname: "pubsub", topic: "t", route: "/e" }]);
    const second = fixture.runtime({ delivery: { partitions: 1 } });
    second.registerApp(again.channel);
    await second.start();
    await second.sidecar("chat-api")(publishRequest("t", { n: 2 }));
    await waitFor(() => again.deliveries.length === 1);
    expect(again.deliveries[0]?.event.data).toEqual({ n: 2 });
  });

  test("stop() gives up on a delivery that hangs past the graceful timeout; the event is redelivered next time", async () => {
    fixture = runtimeFixture();
    const hanging = recorderApp("audit", [{ pubsubname: "pubsub", topic: "t", route: "/e" }]);
    hanging.reply = () => new Promise<Response>(() => {});
    const first = fixture.runtime({ delivery: { stopTimeoutMs: 50 } });
    first.registerApp(hanging.channel);
    await first.start();
    await first.sidecar("chat-api")(publishRequest("t", { n: 1 }));
    await waitFor(() => hanging.deliveries.length === 1);
    await first.stop();

    const healthy = recorderApp("audit", [{ pubsubname: "pubsub", topic: "t", route: "/e" }]);
    const second = fixture.runtime();
    second.registerApp(healthy.channel);
    await second.start();
    await waitFor(() => healthy.deliveries.length === 1);
    expect(healthy.deliveries[0]?.event.data).toEqual({ n: 1 });
  });
});
