import type { Queryable } from "@todo/common/db";
import { Gauge, type Registry } from "prom-client";
import { countPendingOutbox } from "./outbox-store.ts";

export const OUTBOX_PENDING_METRIC = "outbox_pending_events";

/** The relay's backlog on /metrics, counted at scrape time: it must stay bounded under load. */
export function registerOutboxBacklogGauge(registry: Registry, db: Queryable): void {
  if (registry.getSingleMetric(OUTBOX_PENDING_METRIC)) return;
  new Gauge({
    name: OUTBOX_PENDING_METRIC,
    help: "Committed outbox events chat-api has not published yet.",
    registers: [registry],
    async collect() {
      this.set(await countPendingOutbox(db));
    },
  });
}
