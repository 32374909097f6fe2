import { defineService } from "@todo/common";
import { createApp } from "./app.ts";

/** Exact-time reminders through the Dapr Jobs API. */
export const notificationService = defineService({
  appId: "notification",
  settings: {},
  publicPaths: [],
  createApp,
});
