import { defineService } from "@todo/common";
import { createApp } from "./app.ts";

/** The append-only trail of every event, its query API and the operators' gap report. */
export const auditService = defineService({
  appId: "audit",
  settings: {},
  publicPaths: ["/api/audit"],
  createApp: async (deps, { database }) => createApp({ ...deps, db: await database() }),
});
