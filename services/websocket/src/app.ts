import { createServiceApp, subscriptions, type ServiceDeps } from "@todo/common";
import { websocketSubscriptions } from "./subscriptions.ts";

/** Live push of task and reminder events to the user's open tabs. */
export function createApp(deps: ServiceDeps) {
  return createServiceApp("websocket", deps).use(
    subscriptions({
      appId: "websocket",
      dapr: deps.dapr,
      stateStore: deps.components.stateStore,
      logger: deps.logger,
      subscriptions: websocketSubscriptions(deps),
    }),
  );
}
