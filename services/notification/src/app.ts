import { consumerSubscriptions, createServiceApp, type ServiceDeps } from "@todo/common";
import { notificationSubscriptions } from "./subscriptions.ts";

/** Reminders: schedules Dapr jobs and fires ReminderTriggered. */
export function createApp(deps: ServiceDeps) {
  return createServiceApp("notification", deps).use(consumerSubscriptions("notification", deps, notificationSubscriptions(deps)));
}
