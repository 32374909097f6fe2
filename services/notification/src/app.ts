import { consumerSubscriptions, createServiceApp, type ServiceDeps } from "@todo/common";
import { jobRoute } from "./job-route.ts";
import { createReminders } from "./reminders.ts";
import { notificationSubscriptions } from "./subscriptions.ts";
import { createTaskRecordStore } from "./task-record-store.ts";

/** Reminders: schedules a Dapr job per reminder and publishes ReminderTriggered when it fires. */
export function createApp(deps: ServiceDeps) {
  const reminders = createReminders({
    dapr: deps.dapr,
    pubsub: deps.components.pubsub,
    records: createTaskRecordStore({ dapr: deps.dapr, stateStore: deps.components.stateStore }),
    now: deps.now ?? (() => new Date()),
  });
  return createServiceApp("notification", deps)
    .use(consumerSubscriptions("notification", deps, notificationSubscriptions(deps.components.pubsub, reminders)))
    .use(jobRoute({ reminders, logger: deps.logger, appApiToken: deps.appApiToken }));
}
