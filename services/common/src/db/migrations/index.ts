import init from "./0001_init.sql" with { type: "text" };
import audit from "./0002_audit.sql" with { type: "text" };
import conversations from "./0003_conversations.sql" with { type: "text" };
import taskTimeZone from "./0004_task_time_zone.sql" with { type: "text" };
import auditChain from "./0005_audit_chain.sql" with { type: "text" };
import calendarFeeds from "./0006_calendar_feeds.sql" with { type: "text" };

/**
 * The migrations this build ships, imported as text so they travel inside a
 * `bun build --compile` binary (which has no migrations directory to read).
 * migrate.test.ts fails when a .sql file here is not listed, or differs.
 */
export const shippedMigrations: { fileName: string; sql: string }[] = [
  { fileName: "0001_init.sql", sql: init },
  { fileName: "0002_audit.sql", sql: audit },
  { fileName: "0003_conversations.sql", sql: conversations },
  { fileName: "0004_task_time_zone.sql", sql: taskTimeZone },
  { fileName: "0005_audit_chain.sql", sql: auditChain },
  { fileName: "0006_calendar_feeds.sql", sql: calendarFeeds },
];
