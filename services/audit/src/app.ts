import { createServiceApp, subscriptions, type ServiceDeps } from "@todo/common";
import { auditSubscriptions } from "./subscriptions.ts";

/** Append-only audit trail of every event, with a query API. */
export function createApp(deps: ServiceDeps) {
  return createServiceApp("audit", deps).use(
    subscriptions({
      appId: "audit",
      dapr: deps.dapr,
      stateStore: deps.components.stateStore,
      logger: deps.logger,
      subscriptions: auditSubscriptions(deps),
    }),
  );
}
