import { jsonObjectMembers, jsonObjectText } from "./raw-json.ts";

/**
 * The CloudEvent envelope daprd builds around a published body
 * (dapr-http-contract.md §1): wrapping by content type, the fields the
 * sidecar adds, `application/cloudevents+json` pass-through,
 * `metadata.cloudevent.*` overrides, `rawPayload` and `ttlInSeconds`.
 */
export interface PublishedBody {
  appId: string;
  pubsub: string;
  topic: string;
  body: Uint8Array;
  contentType: string | undefined;
  metadata: Record<string, string>;
  traceparent: string | undefined;
  tracestate: string | undefined;
  now: Date;
}

export type EnvelopeResult =
  | { ok: true; payload: Uint8Array; eventId: string | undefined }
  | { ok: false; errorCode: string; message: string };

export const defaultEventType = "com.dapr.event.sent";
/** What contrib's FromCloudEvent puts in a passed-through event without a source. */
const defaultPassThroughSource = "Dapr";

export function buildEnvelope(input: PublishedBody): EnvelopeResult {
  const ttl = ttlSeconds(input.metadata);
  if (ttl === "invalid") {
    return { ok: false, errorCode: "ERR_PUBSUB_REQUEST_METADATA", message: "metadata ttlInSeconds must be a positive integer" };
  }
  if (isTruthy(metadataValue(input.metadata, "rawPayload"))) {
    return { ok: true, payload: input.body, eventId: undefined };
  }

  const members = isCloudEventType(input.contentType) ? passThrough(input) : wrap(input);
  if (!members) {
    return {
      ok: false,
      errorCode: "ERR_PUBSUB_CLOUD_EVENTS_SER",
      message: "the body is not a JSON object, as application/cloudevents+json requires",
    };
  }
  if (ttl !== undefined) members.set("expiration", JSON.stringify(rfc3339(new Date(input.now.getTime() + ttl * 1000))));

  const id = members.get("id");
  const eventId = id === undefined ? undefined : (JSON.parse(id) as unknown);
  return {
    ok: true,
    payload: new TextEncoder().encode(jsonObjectText(members)),
    eventId: typeof eventId === "string" ? eventId : undefined,
  };
}

function wrap(input: PublishedBody): Map<string, string> {
  const contentType = input.contentType || "text/plain";
  const override = (name: string) => metadataValue(input.metadata, `cloudevent.${name}`) || undefined;
  const traceparent = override("traceparent") ?? override("traceid") ?? input.traceparent ?? newTraceparent();

  const members = new Map<string, string>();
  const set = (key: string, value: string) => members.set(key, JSON.stringify(value));
  set("id", override("id") ?? crypto.randomUUID());
  set("specversion", "1.0");
  set("datacontenttype", contentType);
  set("source", override("source") ?? input.appId);
  set("type", override("type") ?? defaultEventType);
  set("topic", input.topic);
  set("pubsubname", input.pubsub);
  set("traceid", traceparent);
  set("traceparent", traceparent);
  set("tracestate", override("tracestate") ?? input.tracestate ?? "");
  set("time", rfc3339(input.now));

  if (isBinaryType(contentType)) {
    set("data_base64", Buffer.from(input.body).toString("base64"));
  } else {
    const text = new TextDecoder().decode(input.body);
    members.set("data", isJsonType(contentType) && isJson(text) ? text.trim() : JSON.stringify(text));
  }
  return members;
}

function passThrough(input: PublishedBody): Map<string, string> | undefined {
  const members = jsonObjectMembers(new TextDecoder().decode(input.body));
  if (!members) return undefined;
  const absent = (key: string) => {
    const value = members.get(key);
    return value === undefined || value === "null";
  };
  const defaultTo = (key: string, value: string) => {
    if (absent(key)) members.set(key, JSON.stringify(value));
  };
  // The publisher's own id/type/source/time are kept; a missing id is not generated.
  defaultTo("source", defaultPassThroughSource);
  defaultTo("type", defaultEventType);
  defaultTo("specversion", "1.0");
  defaultTo("time", rfc3339(input.now));
  const traceparent = input.traceparent ?? newTraceparent();
  defaultTo("traceid", traceparent);
  defaultTo("traceparent", traceparent);
  defaultTo("tracestate", input.tracestate ?? "");
  members.set("topic", JSON.stringify(input.topic));
  members.set("pubsubname", JSON.stringify(input.pubsub));
  return members;
}

/** Undefined when absent; "invalid" when not a positive integer (daprd rejects those). */
function ttlSeconds(metadata: Record<string, string>): number | undefined | "invalid" {
  const raw = metadataValue(metadata, "ttlInSeconds");
  if (raw === undefined || raw === "") return undefined;
  if (!/^\+?\d+$/.test(raw.trim())) return "invalid";
  const seconds = Number(raw.trim());
  return seconds > 0 ? seconds : "invalid";
}

/** daprd reads well-known metadata keys case-insensitively. */
export function metadataValue(metadata: Record<string, string>, key: string): string | undefined {
  if (key in metadata) return metadata[key];
  const lower = key.toLowerCase();
  for (const [name, value] of Object.entries(metadata)) if (name.toLowerCase() === lower) return value;
  return undefined;
}

/** daprd's utils.IsTruthy. */
export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && ["1", "t", "true", "y", "yes", "on"].includes(value.trim().toLowerCase());
}

export function isCloudEventType(contentType: string | undefined): boolean {
  return (contentType ?? "").toLowerCase().startsWith("application/cloudevents+json");
}

export function isJsonType(contentType: string): boolean {
  return contentType.toLowerCase().startsWith("application/json");
}

function isBinaryType(contentType: string): boolean {
  return contentType.toLowerCase().startsWith("application/octet-stream");
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** RFC 3339 in UTC with second precision, as Go's time.RFC3339 writes it. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A fresh W3C trace context, as daprd starts one when the publisher sent none. */
export function newTraceparent(): string {
  const hex = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");
  return `00-${hex(16)}-${hex(8)}-01`;
}
