import type { Logger } from "@todo/common";
import type { AppChannel } from "../app-channel.ts";
import { defaultEventType, isTruthy } from "./cloud-event.ts";
import { deliveryRequest, readVerdict, type AppVerdict } from "./delivery.ts";
import type { ConsumerPosition, LoggedMessage, MessageLog, NewMessage } from "./message-log.ts";
import { chooseRoute } from "./route-rules.ts";
import type { Subscription } from "./subscriptions.ts";
import { sleep, type TopicSignal } from "./topic-signal.ts";

/**
 * The always-on inbound resiliency policy of the embedded runtime:
 * exponential back-off from initialRetryMs, capped at maxRetryIntervalMs,
 * maxRetries times; then the dead-letter topic, or (without one) retrying
 * forever at the cap, which blocks the partition as Kafka does.
 */
export interface RetryPolicy {
  initialRetryMs: number;
  maxRetryIntervalMs: number;
  maxRetries: number;
}

export function retryDelay(policy: RetryPolicy, retry: number): number {
  const exponential = policy.initialRetryMs * 2 ** Math.min(retry - 1, 30);
  return Math.min(exponential, policy.maxRetryIntervalMs);
}

export interface PartitionWorkerDeps {
  log: MessageLog;
  subscription: Subscription;
  partition: number;
  channel: (appId: string) => AppChannel | undefined;
  retry: RetryPolicy;
  logger: Logger;
  now: () => number;
  topics: TopicSignal;
  /** Aborted by stop(): take no new message and start no new attempt. */
  stopping: AbortSignal;
  /** Aborted when the graceful wait is over: cancels calls still in flight. */
  cancelCalls: AbortSignal;
  /** The dead-letter copy of a message (same envelope, same key). */
  deadLetterCopy: (message: LoggedMessage, topic: string) => NewMessage;
}

type Decision = { deadLetter: boolean } | "stopped";

/** Delivers one partition of one subscription in order, one event at a time. */
export async function runPartitionWorker(deps: PartitionWorkerDeps): Promise<void> {
  const { subscription: sub, partition, log } = deps;
  const position: ConsumerPosition = { consumer: sub.appId, pubsub: sub.pubsubName, topic: sub.topic, partition };
  let offset = log.ackedSeq(position);
  while (!deps.stopping.aborted) {
    // next() is synchronous and wait() registers before any other publish can run: no lost wake-up.
    const message = log.next(sub.pubsubName, sub.topic, partition, offset);
    if (!message) {
      await deps.topics.wait(sub.pubsubName, sub.topic, deps.stopping);
      continue;
    }
    const decision = await decide(deps, message);
    if (decision === "stopped") return;
    const deadLetterTopic = decision.deadLetter ? sub.deadLetterTopic : undefined;
    log.ack(
      position,
      message.seq,
      deadLetterTopic ? { messages: [deps.deadLetterCopy(message, deadLetterTopic)], publishedAt: deps.now() } : undefined,
    );
    if (deadLetterTopic) deps.topics.notify(sub.pubsubName, deadLetterTopic);
    offset = message.seq;
  }
}

async function decide(deps: PartitionWorkerDeps, message: LoggedMessage): Promise<Decision> {
  const sub = deps.subscription;
  const prepared = prepare(message, sub);
  const logger = deps.logger.child({
    appId: sub.appId,
    pubsubName: sub.pubsubName,
    topic: sub.topic,
    partition: message.partition,
    offset: message.seq,
    eventId: prepared.event?.id,
    traceparent: prepared.event?.traceparent,
  });
  if (!prepared.event) {
    logger.error("the logged message is not a CloudEvent; dead-lettering it", {});
    return { deadLetter: true };
  }
  const { event, body } = prepared;
  if (hasExpired(event, deps.now())) {
    logger.warn("dropping an expired event", { expiration: event.expiration });
    return { deadLetter: true };
  }
  const route = chooseRoute(sub.rules, event);
  if (route === undefined) {
    logger.debug("no routing rule matches the event; acknowledging it (to the dead-letter topic if set)", { deadLetterTopic: sub.deadLetterTopic });
    return { deadLetter: true };
  }

  for (let retry = 0; ; retry++) {
    if (retry > 0) {
      const exhausted = retry > deps.retry.maxRetries;
      if (exhausted && sub.deadLetterTopic) return { deadLetter: true };
      const delay = exhausted ? deps.retry.maxRetryIntervalMs : retryDelay(deps.retry, retry);
      if (!(await sleep(delay, deps.stopping))) return "stopped";
    }
    if (deps.stopping.aborted) return "stopped";
    const verdict = await attempt(deps, message, route, body, event);
    if (verdict.kind === "success") return { deadLetter: false };
    if (verdict.kind === "drop") {
      logger.warn("the event was dropped", { reason: verdict.reason });
      return { deadLetter: true };
    }
    const fields = { reason: verdict.reason, attempt: retry + 1 };
    if (retry >= deps.retry.maxRetries && !sub.deadLetterTopic) {
      logger.error("delivery keeps failing and there is no dead-letter topic; the partition waits", fields);
    } else {
      logger.warn("delivery failed; retrying", fields);
    }
  }
}

async function attempt(
  deps: PartitionWorkerDeps,
  message: LoggedMessage,
  route: string,
  body: Uint8Array,
  event: Record<string, unknown>,
): Promise<AppVerdict> {
  const channel = deps.channel(deps.subscription.appId);
  if (!channel) return { kind: "retry", reason: "the app is not registered" };
  try {
    const path = route.startsWith("/") ? route : `/${route}`;
    const response = await channel.call(path, deliveryRequest(message, body, event, deps.cancelCalls));
    return await readVerdict(response);
  } catch (error) {
    return { kind: "retry", reason: `the call to the app failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The event the rules and the app see, and the bytes sent. */
function prepare(
  message: LoggedMessage,
  sub: Subscription,
): { event: Record<string, unknown>; body: Uint8Array } | { event: undefined; body: undefined } {
  if (isTruthy(sub.metadata.rawPayload)) {
    // daprd wraps raw messages on the subscriber side, with a new id on every delivery.
    const event: Record<string, unknown> = {
      id: crypto.randomUUID(),
      specversion: "1.0",
      datacontenttype: "application/octet-stream",
      source: "Dapr",
      type: defaultEventType,
      topic: message.topic,
      pubsubname: message.pubsub,
      data_base64: Buffer.from(message.payload).toString("base64"),
    };
    return { event, body: new TextEncoder().encode(JSON.stringify(event)) };
  }
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(message.payload));
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      return { event: parsed as Record<string, unknown>, body: message.payload };
    }
  } catch {
    // falls through: not a CloudEvent
  }
  return { event: undefined, body: undefined };
}

function hasExpired(event: Record<string, unknown>, now: number): boolean {
  if (typeof event.expiration !== "string" || event.expiration === "") return false;
  const expiration = Date.parse(event.expiration);
  return !Number.isNaN(expiration) && expiration < now;
}
