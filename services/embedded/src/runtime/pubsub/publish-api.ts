import { daprError, noContent } from "../errors.ts";
import type { Broker, OutgoingEvent } from "./broker.ts";
import { buildEnvelope, isCloudEventType, isJsonType, metadataValue } from "./cloud-event.ts";

/**
 * POST|PUT /v1.0/publish/{pubsub}/{topic...} and bulk publish, answering
 * like daprd: 204 only once the events are committed to the log.
 */
export interface PublishContext {
  appId: string;
  broker: Broker;
  now: () => Date;
}

export async function handlePublish(ctx: PublishContext, request: Request, pubsub: string, topic: string): Promise<Response> {
  const refused = checkTarget(ctx, pubsub, topic);
  if (refused) return refused;
  const metadata = requestMetadata(request);
  const built = buildEnvelope({
    appId: ctx.appId,
    pubsub,
    topic,
    body: new Uint8Array(await request.arrayBuffer()),
    contentType: request.headers.get("content-type") ?? undefined,
    metadata,
    traceparent: request.headers.get("traceparent") ?? undefined,
    tracestate: request.headers.get("tracestate") ?? undefined,
    now: ctx.now(),
  });
  if (!built.ok) return daprError(400, built.errorCode, built.message);
  return commit(ctx, [{ pubsub, topic, payload: built.payload, eventId: built.eventId, metadata, key: partitionKey(metadata) }]);
}

/** Body: `[{ entryId, event, contentType?, metadata? }]`; every entry is wrapped like a single publish. */
export async function handleBulkPublish(
  ctx: PublishContext,
  request: Request,
  pubsub: string,
  topic: string,
): Promise<Response> {
  const refused = checkTarget(ctx, pubsub, topic);
  if (refused) return refused;
  let entries: unknown;
  try {
    entries = JSON.parse(await request.text());
  } catch {
    return daprError(400, "ERR_PUBSUB_EVENTS_SER", "the bulk publish body is not valid JSON");
  }
  if (!Array.isArray(entries)) return daprError(400, "ERR_PUBSUB_EVENTS_SER", "the bulk publish body must be a JSON array");

  const shared = requestMetadata(request);
  const seen = new Set<string>();
  const events: OutgoingEvent[] = [];
  for (const entry of entries as unknown[]) {
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      return daprError(400, "ERR_PUBSUB_EVENTS_SER", "every bulk publish entry must be an object");
    }
    const { entryId, event, contentType, metadata } = entry as Record<string, unknown>;
    if (typeof entryId !== "string" || entryId === "" || seen.has(entryId)) {
      return daprError(400, "ERR_PUBSUB_EVENTS_SER", "entryId is duplicated or not present for entry");
    }
    seen.add(entryId);
    const entryMetadata = { ...shared, ...stringRecord(metadata) };
    const type = typeof contentType === "string" && contentType !== "" ? contentType : defaultContentType(event);
    const body = eventBytes(event, type);
    if (!body) {
      return daprError(400, "ERR_PUBSUB_EVENTS_SER", `entry ${entryId}: event does not fit content type ${type}`);
    }
    const built = buildEnvelope({
      appId: ctx.appId,
      pubsub,
      topic,
      body,
      contentType: type,
      metadata: entryMetadata,
      traceparent: request.headers.get("traceparent") ?? undefined,
      tracestate: request.headers.get("tracestate") ?? undefined,
      now: ctx.now(),
    });
    if (!built.ok) return daprError(400, built.errorCode, `entry ${entryId}: ${built.message}`);
    events.push({
      pubsub,
      topic,
      payload: built.payload,
      eventId: built.eventId,
      metadata: entryMetadata,
      key: partitionKey(entryMetadata),
    });
  }
  return commit(ctx, events, [...seen]);
}

function checkTarget(ctx: PublishContext, pubsub: string, topic: string): Response | undefined {
  if (ctx.broker.pubsubNames.length === 0) {
    return daprError(400, "ERR_PUBSUB_NOT_CONFIGURED", "no pubsub is configured");
  }
  if (!ctx.broker.pubsubNames.includes(pubsub)) {
    return daprError(404, "ERR_PUBSUB_NOT_FOUND", `pubsub ${pubsub} is not found`);
  }
  if (topic === "") return daprError(404, "ERR_TOPIC_NAME_EMPTY", `topic is empty in pubsub ${pubsub}`);
  return undefined;
}

function commit(ctx: PublishContext, events: OutgoingEvent[], entryIds?: string[]): Response {
  try {
    ctx.broker.publish(events);
    return noContent();
  } catch (error) {
    const message = `error when publishing: ${error instanceof Error ? error.message : String(error)}`;
    if (entryIds) {
      return Response.json(
        { failedEntries: entryIds.map((entryId) => ({ entryId, error: message })), errorCode: "ERR_PUBSUB_PUBLISH_MESSAGE" },
        { status: 500 },
      );
    }
    return daprError(500, "ERR_PUBSUB_PUBLISH_MESSAGE", message);
  }
}

/** Query parameters `metadata.<key>` (first value), as daprd reads them. */
export function requestMetadata(request: Request): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of new URL(request.url).searchParams) {
    if (name.startsWith("metadata.") && !(name.slice(9) in metadata)) metadata[name.slice(9)] = value;
  }
  return metadata;
}

/** Kafka's record key: metadata.partitionKey, or the raw __key. */
function partitionKey(metadata: Record<string, string>): string | undefined {
  return metadataValue(metadata, "partitionKey") || metadata.__key || undefined;
}

function defaultContentType(event: unknown): string {
  return typeof event === "string" ? "text/plain" : "application/json";
}

function eventBytes(event: unknown, contentType: string): Uint8Array | undefined {
  if (isJsonType(contentType) || isCloudEventType(contentType)) {
    return new TextEncoder().encode(JSON.stringify(event ?? null));
  }
  if (typeof event !== "string") return undefined;
  if (contentType.toLowerCase().startsWith("application/octet-stream")) return new Uint8Array(Buffer.from(event, "base64"));
  return new TextEncoder().encode(event);
}

function stringRecord(value: unknown): Record<string, string> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}
