import { createServiceApp, subscriptions, type ServiceDeps } from "@todo/common";
import { notificationSubscriptions } from "./subscriptions.ts";

/** Reminders: schedules Dapr jobs and fires ReminderTriggered. */
export function createApp(deps: ServiceDeps) {
  return createServiceApp("notification", deps).use(
    subscriptions({
      appId: "notification",
      dapr: deps.dapr,
      stateStore: deps.components.stateStore,
      logger: deps.logger,
      subscriptions: notificationSubscriptions(deps),
    }),
  );
}
