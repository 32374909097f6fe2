import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryLogger } from "@todo/common";
import { openMigratedDatabase } from "./open-migrated.ts";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "chat-api-db-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

// initdb of a new PGlite data directory takes seconds of WASM work: hence the longer timeout.
test("without DATABASE_URL the database is PGlite under the data dir, migrated once and kept across restarts", async () => {
  const firstLog = createMemoryLogger();
  const first = await openMigratedDatabase({ dataDir }, firstLog);
  expect(first.kind).toBe("pglite");
  expect(firstLog.records).toContainEqual(expect.objectContaining({ msg: "database ready", appliedMigrations: ["0001_init", "0002_audit", "0003_conversations", "0004_task_time_zone", "0005_audit_chain", "0006_calendar_feeds"] }));
  await first.query(
    "INSERT INTO users (id, email, email_key, password_hash, created_at, updated_at) VALUES ($1, $2, $2, 'x', now(), now())",
    ["0190f3a0-0000-7000-8000-0000000000aa", "a@example.com"],
  );
  await first.close();

  const secondLog = createMemoryLogger();
  const second = await openMigratedDatabase({ dataDir }, secondLog);
  try {
    expect(secondLog.records).toContainEqual(expect.objectContaining({ msg: "database ready", appliedMigrations: [] }));
    expect(await second.query("SELECT email FROM users")).toEqual([{ email: "a@example.com" }]);
  } finally {
    await second.close();
  }
}, 30_000);
