import { describe, expect, test } from "bun:test";
import { buildEnvelope, type PublishedBody } from "./cloud-event.ts";

/** The envelope daprd would put on the wire for a publish request (dapr-http-contract.md §1). */
const now = new Date("2026-03-01T10:00:00.456Z");

function publish(body: string | Uint8Array, overrides: Partial<PublishedBody> = {}) {
  const result = buildEnvelope({
    appId: "chat-api",
    pubsub: "pubsub",
    topic: "task-events",
    body: typeof body === "string" ? new TextEncoder().encode(body) : body,
    contentType: "application/json",
    metadata: {},
    traceparent: undefined,
    tracestate: undefined,
    now,
    ...overrides,
  });
  if (!result.ok) throw new Error(`${result.errorCode}: ${result.message}`);
  return { ...result, text: new TextDecoder().decode(result.payload), event: JSON.parse(new TextDecoder().decode(result.payload)) };
}

function refusal(body: string, overrides: Partial<PublishedBody> = {}) {
  const result = buildEnvelope({
    appId: "chat-api",
    pubsub: "pubsub",
    topic: "t",
    body: new TextEncoder().encode(body),
    contentType: "application/json",
    metadata: {},
    traceparent: undefined,
    tracestate: undefined,
    now,
    ...overrides,
  });
  return result.ok ? undefined : result.errorCode;
}

describe("wrapping a published body", () => {
  test("a text body (or no content type) becomes a string with datacontenttype text/plain", () => {
    const { event } = publish("hello", { contentType: undefined });
    expect(event).toMatchObject({ data: "hello", datacontenttype: "text/plain", time: "2026-03-01T10:00:00Z" });
  });

  test("application/json that does not parse is kept as a string", () => {
    expect(publish("{not json").event.data).toBe("{not json");
  });

  test("a JSON-looking vendor type is not parsed", () => {
    expect(publish('{"a":1}', { contentType: "application/vnd.todo+json" }).event.data).toBe('{"a":1}');
  });

  test("application/octet-stream becomes data_base64", () => {
    const { event } = publish(new Uint8Array([0, 255, 1]), { contentType: "application/octet-stream" });
    expect(event.data_base64).toBe("AP8B");
    expect(event.data).toBeUndefined();
  });

  test("metadata.cloudevent.* overrides id, source, type and the trace context", () => {
    const traceparent = "00-11111111111111111111111111111111-2222222222222222-01";
    const { event, eventId } = publish("{}", {
      metadata: { "cloudevent.id": "outbox-42", "cloudevent.source": "outbox", "cloudevent.type": "todo.task.created.v1", "cloudevent.traceparent": traceparent },
    });
    expect(event).toMatchObject({ id: "outbox-42", source: "outbox", type: "todo.task.created.v1", traceid: traceparent, traceparent });
    expect(eventId).toBe("outbox-42");
  });

  test("the publisher's traceparent and tracestate are carried", () => {
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const { event } = publish("{}", { traceparent, tracestate: "vendor=1" });
    expect(event).toMatchObject({ traceid: traceparent, traceparent, tracestate: "vendor=1" });
  });

  test("ttlInSeconds adds an RFC 3339 expiration; a value that is not a positive integer is refused", () => {
    expect(publish("{}", { metadata: { ttlInSeconds: "90" } }).event.expiration).toBe("2026-03-01T10:01:30Z");
    expect(refusal("{}", { metadata: { ttlInSeconds: "soon" } })).toBe("ERR_PUBSUB_REQUEST_METADATA");
    expect(refusal("{}", { metadata: { ttlInSeconds: "-5" } })).toBe("ERR_PUBSUB_REQUEST_METADATA");
  });

  test("rawPayload=true stores the body exactly as sent", () => {
    const { text, eventId } = publish('{"plain":true}', { metadata: { rawPayload: "true" } });
    expect(text).toBe('{"plain":true}');
    expect(eventId).toBeUndefined();
  });
});

describe("an own CloudEvent (application/cloudevents+json)", () => {
  const contentType = "application/cloudevents+json";

  test("keeps its fields, defaults the missing ones and overwrites topic and pubsubname", () => {
    const { event } = publish(JSON.stringify({ id: "e1", data: { a: 1 }, topic: "wrong", pubsubname: "wrong" }), { contentType });
    expect(event).toMatchObject({
      id: "e1",
      source: "Dapr",
      type: "com.dapr.event.sent",
      specversion: "1.0",
      time: "2026-03-01T10:00:00Z",
      topic: "task-events",
      pubsubname: "pubsub",
      data: { a: 1 },
    });
  });

  test("a missing id is not generated", () => {
    expect(publish(JSON.stringify({ type: "x", source: "y" }), { contentType }).event.id).toBeUndefined();
  });

  test("its own trace context is kept", () => {
    const { event } = publish(JSON.stringify({ id: "e1", traceparent: "mine" }), {
      contentType,
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    });
    expect(event.traceparent).toBe("mine");
  });

  test("a body that is not a JSON object is refused", () => {
    expect(refusal("[1,2]", { contentType })).toBe("ERR_PUBSUB_CLOUD_EVENTS_SER");
    expect(refusal("nope", { contentType })).toBe("ERR_PUBSUB_CLOUD_EVENTS_SER");
  });

  test("large integers in data stay exact", () => {
    const { text } = publish('{"id":"e1","data":{"n":98765432109876543210,"s":"a,b}"}}', { contentType });
    expect(text).toContain('"data":{"n":98765432109876543210,"s":"a,b}"}');
  });
});
