import { defineService } from "@todo/common";
import { createApp } from "./app.ts";

/** The next occurrence of a recurring task when the current one is completed. */
export const recurringTaskService = defineService({
  appId: "recurring-task",
  settings: {},
  publicPaths: [],
  createApp,
});
