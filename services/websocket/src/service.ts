import { defineService } from "@todo/common";
import { createApp } from "./app.ts";

/** Live push of task and reminder events to every open tab, with replay after a reconnect. */
export const websocketService = defineService({
  appId: "websocket",
  settings: {},
  publicPaths: ["/ws"],
  createApp: (deps, { replicaId }) => createApp({ ...deps, instanceId: replicaId }),
});
