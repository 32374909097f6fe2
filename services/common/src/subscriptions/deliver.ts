import { parseEvent } from "../events/validate.ts";
import type { Logger } from "../logger.ts";
import { processedEventKey, type ProcessedEvents } from "./processed-events.ts";
import type { DeliveryOutcome, DeliveryStatus, Subscription } from "./types.ts";

export interface DeliveryRequest {
  /** The raw request body: the CloudEvent JSON as daprd sent it. */
  body: string;
  headers: Headers;
}

export interface DeliveryDeps {
  appId: string;
  logger: Logger;
  processed: ProcessedEvents;
}

export interface DeliveryResult {
  status: DeliveryStatus;
  outcome: DeliveryOutcome;
}

const SUCCESS = (outcome: DeliveryOutcome): DeliveryResult => ({ status: "SUCCESS", outcome });
const RETRY: DeliveryResult = { status: "RETRY", outcome: "retry" };
const DROP: DeliveryResult = { status: "DROP", outcome: "dropped" };

/**
 * One delivery of one CloudEvent to one subscription: parse, filter,
 * de-duplicate, run the handler, remember it. Never throws; the status is what
 * daprd should do next.
 */
export async function deliverEvent(subscription: Subscription, request: DeliveryRequest, deps: DeliveryDeps): Promise<DeliveryResult> {
  const headerTraceparent = request.headers.get("traceparent") ?? undefined;
  const logFor = (eventId: string | undefined, eventType: string | undefined, traceparent: string | undefined) =>
    deps.logger.child({ eventId, eventType, topic: subscription.topic, traceparent });

  let raw: unknown;
  try {
    raw = JSON.parse(request.body);
  } catch {
    logFor(undefined, undefined, headerTraceparent).warn("dropping event: body is not JSON", { reason: "malformed" });
    return DROP;
  }

  const parsed = parseEvent(raw);
  if (!parsed.ok) {
    const traceparent = traceparentOf(raw) ?? headerTraceparent;
    logFor(parsed.id, parsed.type, traceparent).warn("dropping event", { reason: parsed.reason, detail: parsed.message });
    return DROP;
  }

  const event = parsed.event;
  const traceparent = traceparentOf(event) ?? headerTraceparent;
  const logger = logFor(event.id, event.type, traceparent);

  if (subscription.types && !subscription.types.includes(event.type)) {
    logger.debug("skipping event type this route does not handle");
    return SUCCESS("skipped");
  }

  const key = processedEventKey(deps.appId, subscription.route, event.id);
  try {
    if (await deps.processed.has(key)) {
      logger.debug("skipping event already processed");
      return SUCCESS("duplicate");
    }
  } catch (error) {
    // Unsure whether it ran before: a redelivery is safe, a guess is not.
    logger.error("cannot read the processed-event record; asking for redelivery", { error });
    return RETRY;
  }

  let result: Awaited<ReturnType<Subscription["handler"]>>;
  try {
    result = await subscription.handler(event, { logger, traceparent, headers: request.headers });
  } catch (error) {
    logger.error("event handler failed; asking for redelivery", { error });
    return RETRY;
  }
  if (result === "RETRY") {
    logger.warn("event handler asked for redelivery");
    return RETRY;
  }
  if (result === "DROP") {
    logger.warn("event handler dropped the event", { reason: "handler" });
    return DROP;
  }

  try {
    await deps.processed.record(key, event.type);
  } catch (error) {
    // The work is done and handlers are idempotent: a redelivery would only repeat it.
    logger.warn("event processed but not recorded; a redelivery will run the handler again", { error });
  }
  logger.info("event processed");
  return SUCCESS("processed");
}

function traceparentOf(event: unknown): string | undefined {
  const value = typeof event === "object" && event !== null ? (event as { traceparent?: unknown }).traceparent : undefined;
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
