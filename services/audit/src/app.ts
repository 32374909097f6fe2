import { consumerSubscriptions, createServiceApp, type ServiceDeps } from "@todo/common";
import { auditSubscriptions } from "./subscriptions.ts";

/** Append-only audit trail of every event, with a query API. */
export function createApp(deps: ServiceDeps) {
  return createServiceApp("audit", deps).use(consumerSubscriptions("audit", deps, auditSubscriptions(deps)));
}
