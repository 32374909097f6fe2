import type { DaprClient } from "../dapr/types.ts";
import type { EventType, TypedEvent } from "../events/catalogue.ts";
import type { Logger } from "../logger.ts";

/** The answer body daprd understands (case-sensitive): ack, redeliver, or ack and dead-letter. */
export type DeliveryStatus = "SUCCESS" | "RETRY" | "DROP";

/** What became of one delivery, finer than the status: for metrics. */
export type DeliveryOutcome = "processed" | "duplicate" | "skipped" | "retry" | "dropped";

/** A handler resolves (done), or asks for a redelivery, or gives the event up (daprd forwards it to the dead-letter topic). */
export type HandlerResult = void | "RETRY" | "DROP";

export interface DeliveryContext {
  /** Carries eventId, eventType, topic and traceparent on every line. */
  logger: Logger;
  traceparent?: string;
  /** Request headers as daprd sent them (Kafka record headers arrive here too). */
  headers: Headers;
}

export interface Subscription<T extends EventType = EventType> {
  pubsub: string;
  topic: string;
  /** App path daprd posts events to, e.g. "/events/task-events". */
  route: string;
  deadLetterTopic?: string;
  /** Event types this route handles; other catalogue events are acknowledged and skipped. Omitted: all. */
  types?: readonly T[];
  // Method syntax on purpose: lets a Subscription<"todo.task.created.v1"> sit in a Subscription[].
  handler(event: TypedEvent<T>, context: DeliveryContext): HandlerResult | Promise<HandlerResult>;
}

export interface SubscriptionsOptions {
  dapr: DaprClient;
  /** Dapr state store that keeps the ids of processed events. */
  stateStore: string;
  logger: Logger;
  /** Part of the processed-event key, so apps sharing a state store never see each other's records. */
  appId: string;
  subscriptions: Subscription[];
  /** How long a processed event id is remembered (redeliveries after that run the handler again). Default 7 days. */
  idempotencyTtlSeconds?: number;
  metrics?: { delivered: (topic: string, outcome: DeliveryOutcome) => void };
  /** When set, daprd's calls must carry it as dapr-api-token (APP_API_TOKEN); others get 401. */
  appApiToken?: string;
}
