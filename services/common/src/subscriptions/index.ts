export * from "./types.ts";
export { subscriptions, defineSubscription, daprSubscribeEntries } from "./subscriptions.ts";
export { deliverEvent, type DeliveryRequest, type DeliveryResult } from "./deliver.ts";
export { processedEventKey, DEFAULT_IDEMPOTENCY_TTL_SECONDS } from "./processed-events.ts";
export * from "./metrics.ts";
