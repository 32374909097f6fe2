import { consumerSubscriptions, createServiceApp, type ServiceDeps } from "@todo/common";
import { recurringTaskSubscriptions } from "./subscriptions.ts";

/** Creates the next occurrence of recurring tasks. */
export function createApp(deps: ServiceDeps) {
  return createServiceApp("recurring-task", deps).use(consumerSubscriptions("recurring-task", deps, recurringTaskSubscriptions(deps)));
}
