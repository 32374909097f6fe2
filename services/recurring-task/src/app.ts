import { createServiceApp, subscriptions, type ServiceDeps } from "@todo/common";
import { recurringTaskSubscriptions } from "./subscriptions.ts";

/** Creates the next occurrence of recurring tasks. */
export function createApp(deps: ServiceDeps) {
  return createServiceApp("recurring-task", deps).use(
    subscriptions({
      appId: "recurring-task",
      dapr: deps.dapr,
      stateStore: deps.components.stateStore,
      logger: deps.logger,
      subscriptions: recurringTaskSubscriptions(deps),
    }),
  );
}
