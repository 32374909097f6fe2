import type { ApiClient, TestUser } from "./api-client.ts";

const TERMINAL_OUTCOMES = ["processed", "duplicate", "skipped", "dropped"];

/** Deliveries a consumer has finished on a topic (every outcome but "retry"), from the shared /metrics. */
export async function finishedDeliveries(api: ApiClient, service: string, topic: string): Promise<number> {
  let total = 0;
  for (const outcome of TERMINAL_OUTCOMES) total += await api.counter("events_delivered_total", { service, topic, outcome });
  return total;
}

/** How many events of `topic` the audit trail holds for these users (each published event once). */
export async function auditedOn(api: ApiClient, users: TestUser[], topic: string): Promise<number> {
  let total = 0;
  for (const user of users) total += (await api.auditTrail(user)).filter((item) => item.topic === topic).length;
  return total;
}

/**
 * True once `service` has finished at least as many deliveries on `topic` as
 * were published for these users (the only users of the system under test),
 * plus `extra` re-published copies: every event so far has reached it. On the
 * real stack the counters also hold earlier tests' events, so there the
 * service's Kafka consumer group must have committed every event of the topic.
 */
export async function caughtUp(api: ApiClient, users: TestUser[], service: string, topic: string, extra = 0): Promise<boolean> {
  const published = await auditedOn(api, users, topic);
  if (api.consumerCaughtUp) return published > 0 && (await api.consumerCaughtUp(service, topic));
  return published > 0 && (await finishedDeliveries(api, service, topic)) >= published + extra;
}
