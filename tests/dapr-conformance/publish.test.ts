/**
 * Publish API: status codes and the CloudEvent envelope the sidecar builds
 * (dapr-http-contract.md §1, delivery format §2).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createConformanceRun, type SidecarUnderTest } from "./harness/conformance-run.ts";
import { jsonOf } from "./harness/dapr-api.ts";
import type { Delivery } from "./harness/test-app.ts";
import { waitFor } from "@todo/testkit";

// Sidecar start-up and broker round trips outlast bun's 5 s default.
setDefaultTimeout(30_000);

const run = createConformanceRun();
const { profile } = run;
const pubsub = profile.components.pubsub;
const topic = run.names.name("publish");
let under: SidecarUnderTest;

beforeAll(async () => {
  under = await run.startSidecar({ appId: run.names.name("conf-publish"), subscriptions: [{ topic }] });
}, 30_000);

afterAll(() => run.cleanup(), 30_000);

function deliveryWhere(match: (delivery: Delivery) => boolean, what: string): Promise<Delivery> {
  return waitFor(() => under.app.deliveriesOf(topic).find(match), {
    timeoutMs: profile.deliveryTimeoutMs,
    message: what,
    describe: () => JSON.stringify(under.app.deliveriesOf(topic).map((d) => d.event)),
  });
}

const hasMarker = (marker: string) => (delivery: Delivery) =>
  (delivery.event.data as { marker?: string } | undefined)?.marker === marker;

describe("publish", () => {
  test("a JSON publish answers 204 and arrives as a CloudEvent built by the sidecar", async () => {
    const marker = crypto.randomUUID();
    const data = { marker, count: 3, nested: { ok: true, list: [1, "two"] } };

    const response = await under.dapr.publish(pubsub, topic, data);
    expect(response.status).toBe(204);

    const delivery = await deliveryWhere(hasMarker(marker), "the JSON event");
    expect(delivery.headers["content-type"]).toStartWith("application/cloudevents+json");
    const event = delivery.event;
    expect(typeof event.id).toBe("string");
    expect(event.id).not.toBe("");
    expect(event.source).toBe(under.appId);
    expect(event.type).toBe("com.dapr.event.sent");
    expect(event.specversion).toBe("1.0");
    expect(event.datacontenttype).toStartWith("application/json");
    expect(event.topic).toBe(topic);
    expect(event.pubsubname).toBe(pubsub);
    expect(event.data).toEqual(data);
    expect(Number.isNaN(Date.parse(String(event.time)))).toBe(false);
  });

  test("a text/plain publish delivers data as the same string", async () => {
    const text = `plain text ${crypto.randomUUID()}`;
    const response = await under.dapr.request("POST", `/v1.0/publish/${pubsub}/${topic}`, {
      body: text,
      contentType: "text/plain",
    });
    expect(response.status).toBe(204);

    const delivery = await deliveryWhere((d) => d.event.data === text, "the text/plain event");
    expect(delivery.event.datacontenttype).toStartWith("text/plain");
  });

  test("a CloudEvent published as application/cloudevents+json keeps its id, type and source", async () => {
    const marker = crypto.randomUUID();
    const own = {
      specversion: "1.0",
      id: `own-${marker}`,
      type: "conformance.sample.created.v1",
      source: "conformance-suite",
      subject: "subject-1",
      datacontenttype: "application/json",
      data: { marker },
    };
    const response = await under.dapr.request("POST", `/v1.0/publish/${pubsub}/${topic}`, {
      body: JSON.stringify(own),
      contentType: "application/cloudevents+json",
    });
    expect(response.status).toBe(204);

    const delivery = await deliveryWhere(hasMarker(marker), "the caller-built CloudEvent");
    expect(delivery.event.id).toBe(own.id);
    expect(delivery.event.type).toBe(own.type);
    expect(delivery.event.source).toBe(own.source);
    expect(delivery.event.subject).toBe(own.subject);
    expect(delivery.event.topic).toBe(topic);
    expect(delivery.event.pubsubname).toBe(pubsub);
    expect(delivery.event.data).toEqual({ marker });
  });

  test("the publisher's traceparent reaches the event and the delivery request", async () => {
    const marker = crypto.randomUUID();
    const traceId = crypto.randomUUID().replaceAll("-", "");
    const traceparent = `00-${traceId}-${"a1b2c3d4e5f60718"}-01`;

    const response = await under.dapr.publish(pubsub, topic, { marker }, { headers: { traceparent } });
    expect(response.status).toBe(204);

    const delivery = await deliveryWhere(hasMarker(marker), "the traced event");
    // The sidecar may start its own span, so only the trace id must survive.
    expect(String(delivery.event.traceid)).toContain(traceId);
    expect(delivery.headers.traceparent ?? "").toContain(traceId);
  });

  test("publishing to an unknown pubsub answers 404 ERR_PUBSUB_NOT_FOUND", async () => {
    const response = await under.dapr.publish("no-such-pubsub", topic, { marker: "never" });
    expect(response.status).toBe(404);
    const body = await jsonOf<{ errorCode?: string }>(response);
    expect(body.errorCode).toBe("ERR_PUBSUB_NOT_FOUND");
  });

  test("bulk publish answers 204 and delivers every entry as its own CloudEvent", async () => {
    const marker = crypto.randomUUID();
    const entries = [1, 2, 3].map((n) => ({
      entryId: `entry-${n}`,
      event: { marker, n },
      contentType: "application/json",
    }));

    const response = await under.dapr.request("POST", `/v1.0-alpha1/publish/bulk/${pubsub}/${topic}`, {
      json: entries,
    });
    expect(response.status).toBe(204);

    const delivered = await waitFor(
      () => {
        const mine = under.app.deliveriesOf(topic).filter(hasMarker(marker));
        return new Set(mine.map((d) => (d.event.data as { n: number }).n)).size === 3 && mine;
      },
      { timeoutMs: profile.deliveryTimeoutMs, message: "all 3 bulk-published entries" },
    );
    for (const delivery of delivered) {
      expect(delivery.event.type).toBe("com.dapr.event.sent");
      expect(delivery.event.source).toBe(under.appId);
      expect(delivery.event.topic).toBe(topic);
    }
    expect(new Set(delivered.map((d) => d.event.id)).size).toBe(delivered.length);
  });
});
