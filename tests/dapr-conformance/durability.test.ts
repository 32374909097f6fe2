/**
 * Durability across a real crash: the sidecar process is killed with SIGKILL
 * and started again on the same data. Delivery is at-least-once (duplicates
 * allowed, nothing missing), acknowledged events stay acknowledged, a job
 * due while the sidecar was down still fires once, state survives.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createConformanceRun, type SidecarUnderTest } from "./harness/conformance-run.ts";
import { jsonOf, publishOk } from "./harness/dapr-api.ts";
import { expectUnchanged, untilClockPasses, waitFor } from "@todo/testkit";

// Sidecar start-up and broker round trips outlast bun's 5 s default.
setDefaultTimeout(30_000);

const run = createConformanceRun();
const { profile, names } = run;
const pubsub = profile.components.pubsub;
const topics = { held: names.name("durable-held"), acked: names.name("durable-acked") };
let under: SidecarUnderTest;

beforeAll(async () => {
  under = await run.startSidecar({
    appId: names.name("conf-durability"),
    subscriptions: [{ topic: topics.held }, { topic: topics.acked }],
  });
}, 30_000);

afterAll(() => run.cleanup(), 30_000);

const markerOf = (data: unknown) => (data as { marker?: string } | undefined)?.marker;

async function waitForMarker(topic: string, marker: string, what: string): Promise<void> {
  await waitFor(() => under.app.deliveriesOf(topic).some((d) => markerOf(d.event.data) === marker), {
    timeoutMs: profile.deliveryTimeoutMs * 2,
    message: what,
    describe: () => JSON.stringify(under.app.deliveriesOf(topic).map((d) => d.event.data)),
  });
}

describe("durability across kill -9", () => {
  test("events whose deliveries were in flight at the crash are all delivered after the restart", async () => {
    under.app.holdDeliveries();
    const markers = Array.from({ length: 20 }, (_, i) => `held-${i}-${crypto.randomUUID()}`);
    for (const [i, marker] of markers.entries()) {
      await publishOk(under.dapr, pubsub, topics.held, { marker }, { partitionKey: names.name(`held-${i % 4}`) });
    }
    await waitFor(() => under.app.heldCount > 0, {
      timeoutMs: profile.deliveryTimeoutMs,
      message: "at least one delivery in flight (held by the app)",
    });

    await under.sidecar.kill();
    under.app.releaseDeliveries();
    const restartedAt = Date.now();
    await under.sidecar.restart();

    await waitFor(
      () => {
        const after = under.app.deliveriesOf(topics.held).filter((d) => d.arrivedAt >= restartedAt);
        const seen = new Set(after.map((d) => markerOf(d.event.data)));
        return markers.every((m) => seen.has(m));
      },
      {
        timeoutMs: profile.deliveryTimeoutMs * 2,
        message: "all 20 unacknowledged events to be delivered after the restart",
        describe: () => {
          const after = under.app.deliveriesOf(topics.held).filter((d) => d.arrivedAt >= restartedAt);
          const seen = new Set(after.map((d) => markerOf(d.event.data)));
          return `missing: ${JSON.stringify(markers.filter((m) => !seen.has(m)))}`;
        },
      },
    );
  }, 30_000);

  test("events acknowledged before the crash are not delivered again after the restart", async () => {
    const key = names.name("acked-key");
    const markers = Array.from({ length: 10 }, (_, i) => `acked-${i}-${crypto.randomUUID()}`);
    for (const marker of markers) await publishOk(under.dapr, pubsub, topics.acked, { marker }, { partitionKey: key });
    // One key is handled in order: once this marker arrives, the 10 before it were answered and acknowledged.
    const before = `before-crash-${crypto.randomUUID()}`;
    await publishOk(under.dapr, pubsub, topics.acked, { marker: before }, { partitionKey: key });
    await waitForMarker(topics.acked, before, "the marker published behind the 10 events");
    // Kafka: the consumer commits offsets periodically; the acks must be committed before the crash.
    await waitFor(() => run.target.acknowledgementsDurable(under.appId, topics.acked), {
      timeoutMs: profile.deliveryTimeoutMs,
      intervalMs: 200,
      message: "the sidecar to make its acknowledgements durable",
    });

    await under.sidecar.kill();
    await under.sidecar.restart();

    // Anything redelivered from before the crash would arrive ahead of this marker.
    const after = `after-restart-${crypto.randomUUID()}`;
    await publishOk(under.dapr, pubsub, topics.acked, { marker: after }, { partitionKey: key });
    await waitForMarker(topics.acked, after, "the marker published after the restart");

    const counts = markers.map((marker) => ({
      marker,
      deliveries: under.app.deliveriesOf(topics.acked).filter((d) => markerOf(d.event.data) === marker).length,
    }));
    expect(counts).toEqual(markers.map((marker) => ({ marker, deliveries: 1 })));
  }, 30_000);

  test("a job that fell due while the sidecar was down fires exactly once after the restart", async () => {
    const name = names.name("durable-job");
    const dueAt = Date.now() + 1_500;
    const scheduled = await under.dapr.request("POST", `/v1.0-alpha1/jobs/${name}`, {
      json: { dueTime: new Date(dueAt).toISOString(), data: { name } },
    });
    expect(scheduled.status).toBe(204);
    await under.sidecar.kill();

    await untilClockPasses(dueAt + 300);
    expect(under.app.triggersOf(name)).toEqual([]);
    await under.sidecar.restart();

    const trigger = await waitFor(() => under.app.triggersOf(name)[0], {
      timeoutMs: 5_000,
      message: `job ${name} to fire after the restart`,
    });
    expect(trigger.body).toEqual({ name });
    await expectUnchanged(() => under.app.triggersOf(name).length, 500, `job ${name} fired more than once`);
  }, 30_000);

  test("state written before the crash is read after the restart", async () => {
    const key = names.name("durable-state");
    const value = { survived: true, at: new Date().toISOString() };
    const saved = await under.dapr.request("POST", `/v1.0/state/${profile.components.state}`, {
      json: [{ key, value }],
    });
    expect(saved.status).toBe(204);

    await under.sidecar.kill();
    await under.sidecar.restart();

    const response = await under.dapr.request("GET", `/v1.0/state/${profile.components.state}/${key}`);
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toEqual(value);
    expect(response.headers.get("etag")).toBeTruthy();
  }, 30_000);
});
