/**
 * Delivery semantics: how the sidecar treats the app's answer (SUCCESS,
 * RETRY, DROP, 404, 500), dead-letter topics, and per-key ordering
 * (dapr-http-contract.md §2).
 *
 * "No further delivery" is shown without waiting on the clock: after the
 * event under test, a marker is published with the same partition key. Events
 * of one key are handled one after another (a Kafka partition, an embedded
 * partition), so once the marker arrives the earlier event is settled.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createConformanceRun, type SidecarUnderTest } from "./harness/conformance-run.ts";
import { publishOk } from "./harness/dapr-api.ts";
import type { Delivery, Reply } from "./harness/test-app.ts";
import { waitFor } from "@todo/testkit";

// Sidecar start-up and broker round trips outlast bun's 5 s default.
setDefaultTimeout(30_000);

const run = createConformanceRun();
const { profile, names } = run;
const pubsub = profile.components.pubsub;
const topics = {
  plain: names.name("delivery"),
  withDlt: names.name("delivery-dlt-source"),
  dlt: names.name("delivery-dlt"),
  ordered: names.name("delivery-ordered"),
};
let under: SidecarUnderTest;

beforeAll(async () => {
  under = await run.startSidecar({
    appId: names.name("conf-delivery"),
    subscriptions: [
      { topic: topics.plain },
      { topic: topics.withDlt, deadLetterTopic: topics.dlt },
      { topic: topics.dlt },
      { topic: topics.ordered },
    ],
  });
}, 30_000);

afterAll(() => run.cleanup(), 30_000);

interface Marked {
  marker: string;
  script?: Reply[];
}

/** Publishes an event scripted to get `script` as answers and returns its marker. */
async function publishScripted(topic: string, script: Reply[], partitionKey: string): Promise<string> {
  const marker = crypto.randomUUID();
  await publishOk(under.dapr, pubsub, topic, { marker, script } satisfies Marked, { partitionKey });
  return marker;
}

function deliveriesWithMarker(topic: string, marker: string): Delivery[] {
  return under.app.deliveriesOf(topic).filter((d) => (d.event.data as Marked | undefined)?.marker === marker);
}

function describeTopic(topic: string): () => string {
  return () =>
    JSON.stringify(under.app.deliveriesOf(topic).map((d) => ({ data: d.event.data, id: d.event.id, reply: d.reply })));
}

/** Publishes a SUCCESS marker behind the event under test and waits for it. */
async function settleKey(topic: string, partitionKey: string): Promise<void> {
  const marker = await publishScripted(topic, ["SUCCESS"], partitionKey);
  await waitFor(() => deliveriesWithMarker(topic, marker).length > 0, {
    timeoutMs: profile.deliveryTimeoutMs * 2,
    message: `the marker behind the event under test on ${topic}`,
    describe: describeTopic(topic),
  });
}

describe("delivery semantics", () => {
  test("RETRY is redelivered until the app answers SUCCESS, then never again", async () => {
    const key = names.name("retry");
    const marker = await publishScripted(topics.plain, ["RETRY", "RETRY", "SUCCESS"], key);
    await settleKey(topics.plain, key);

    const attempts = deliveriesWithMarker(topics.plain, marker);
    expect(attempts.map((d) => d.reply)).toEqual(["RETRY", "RETRY", "SUCCESS"]);
    expect(new Set(attempts.map((d) => d.event.id)).size).toBe(1);
  });

  test("an HTTP 500 answer is retried", async () => {
    const key = names.name("status-500");
    const marker = await publishScripted(topics.plain, ["500", "500", "SUCCESS"], key);
    await settleKey(topics.plain, key);

    expect(deliveriesWithMarker(topics.plain, marker).map((d) => d.reply)).toEqual(["500", "500", "SUCCESS"]);
  });

  test("an HTTP 404 answer is acknowledged and not retried", async () => {
    const key = names.name("status-404");
    const marker = await publishScripted(topics.plain, ["404", "SUCCESS"], key);
    await settleKey(topics.plain, key);

    expect(deliveriesWithMarker(topics.plain, marker).map((d) => d.reply)).toEqual(["404"]);
  });

  test("DROP sends the original event to the dead-letter topic and is not retried", async () => {
    const key = names.name("drop");
    const marker = await publishScripted(topics.withDlt, ["DROP"], key);

    const deadLettered = await waitFor(() => deliveriesWithMarker(topics.dlt, marker)[0], {
      timeoutMs: profile.deliveryTimeoutMs,
      message: "the dropped event on the dead-letter topic",
      describe: describeTopic(topics.dlt),
    });
    await settleKey(topics.withDlt, key);

    const original = deliveriesWithMarker(topics.withDlt, marker);
    expect(original.map((d) => d.reply)).toEqual(["DROP"]);
    expect(deadLettered.event.id).toBe(original[0]?.event.id);
    expect(deadLettered.event.data).toEqual(original[0]?.event.data);
  });

  test("an event that keeps failing goes to the dead-letter topic once retries are exhausted", async () => {
    const key = names.name("exhausted");
    const marker = await publishScripted(topics.withDlt, ["RETRY"], key);

    const deadLettered = await waitFor(() => deliveriesWithMarker(topics.dlt, marker)[0], {
      timeoutMs: profile.deliveryTimeoutMs * 2,
      message: "the exhausted event on the dead-letter topic",
      describe: describeTopic(topics.withDlt),
    });
    await settleKey(topics.withDlt, key);

    const attempts = deliveriesWithMarker(topics.withDlt, marker);
    expect(attempts.length).toBe(1 + profile.pubsubInboundRetries);
    expect(deadLettered.event.id).toBe(attempts[0]?.event.id);
    expect(deadLettered.event.data).toEqual(attempts[0]?.event.data);
  });

  test("events with the same partition key arrive in publish order, even when some are slow", async () => {
    const keys = [0, 1, 2, 3, 4].map((k) => names.name(`order-${k}`));
    const published = new Map<string, number[]>(keys.map((key) => [key, []]));
    for (let seq = 0; seq < 100; seq++) {
      const key = keys[seq % keys.length] as string;
      // Every 7th event makes the handler slow, so a partition that does not
      // wait for the previous answer would let later events overtake it.
      await publishOk(under.dapr, pubsub, topics.ordered, { seq, key, delayMs: seq % 7 === 0 ? 30 : 0 }, {
        partitionKey: key,
      });
      published.get(key)?.push(seq);
    }

    const arrived = await waitFor(
      () => {
        const deliveries = under.app.deliveriesOf(topics.ordered);
        const seen = new Set(deliveries.map((d) => (d.event.data as { seq: number }).seq));
        return seen.size === 100 && deliveries;
      },
      {
        timeoutMs: profile.deliveryTimeoutMs * 3,
        message: "all 100 ordered events",
        describe: () => `${under.app.deliveriesOf(topics.ordered).length} deliveries so far`,
      },
    );

    for (const key of keys) {
      const order = arrived
        .map((d) => d.event.data as { seq: number; key: string })
        .filter((data) => data.key === key)
        .map((data) => data.seq);
      expect({ key, order }).toEqual({ key, order: published.get(key) ?? [] });
    }
  }, 30_000);
});
