import { loadConfig, runService } from "@todo/common";
import { openDatabase, openMigratedDatabase } from "@todo/common/db";
import { t } from "elysia";
import { auditService } from "./service.ts";

/**
 * audit next to a daprd sidecar. It needs PostgreSQL: its trail and the gap
 * report share chat-api's database (the outbox), and a PGlite directory
 * cannot be opened by two processes. `bun start` hosts audit in-process on
 * the shared PGlite database instead.
 */
const storage = loadConfig(
  t.Object({
    DATABASE_URL: t.String({ pattern: "^postgres(ql)?://" }),
    // false when DATABASE_URL logs in as the restricted todo_audit role (no DDL): chat-api, the owner, migrates.
    AUDIT_MIGRATE: t.Boolean({ default: true }),
  }),
);

await runService(auditService, {
  openDatabase: (logger) =>
    storage.AUDIT_MIGRATE
      ? openMigratedDatabase({ databaseUrl: storage.DATABASE_URL }, logger)
      : openDatabase({ databaseUrl: storage.DATABASE_URL }),
});
