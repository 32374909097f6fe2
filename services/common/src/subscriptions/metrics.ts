import { Counter, type Registry } from "prom-client";
import type { DeliveryOutcome } from "./types.ts";

const counters = new WeakMap<Registry, Counter<"service" | "topic" | "outcome">>();

/** events_delivered_total{service, topic, outcome}: one counter per registry, shared by the apps using it. */
export function deliveryMetrics(registry: Registry, service: string) {
  let counter = counters.get(registry);
  if (!counter) {
    counter = new Counter({
      name: "events_delivered_total",
      help: "Event deliveries by service, topic and outcome (processed, duplicate, skipped, retry, dropped).",
      labelNames: ["service", "topic", "outcome"],
      registers: [registry],
    });
    counters.set(registry, counter);
  }
  const delivered = counter;
  return { delivered: (topic: string, outcome: DeliveryOutcome) => delivered.inc({ service, topic, outcome }) };
}
