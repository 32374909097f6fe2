import { consumerSubscriptions, createServiceApp, type ServiceDeps } from "@todo/common";
import { websocketSubscriptions } from "./subscriptions.ts";

/** Live push of task and reminder events to the user's open tabs. */
export function createApp(deps: ServiceDeps) {
  return createServiceApp("websocket", deps).use(consumerSubscriptions("websocket", deps, websocketSubscriptions(deps)));
}
