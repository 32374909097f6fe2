import { runService } from "@todo/common";
import { createApp } from "./app.ts";

// Kubernetes sets HOSTNAME to the pod name: stable per replica, distinct between replicas.
await runService("websocket", (deps) => createApp({ ...deps, instanceId: process.env.HOSTNAME ?? crypto.randomUUID() }));
