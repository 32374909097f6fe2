import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "./database.ts";
import { migrate } from "./migrate.ts";
import { shippedMigrations } from "./migrations/index.ts";
import { testDatabases } from "@todo/testkit/databases";

/** Migration 0005 puts the entries recorded before it on a hash chain per user, in recorded order. */
describe.each(testDatabases())("the audit chain migration on $name", ({ openEmpty }) => {
  let db: Database;
  let directory: string;
  beforeEach(async () => {
    db = await openEmpty();
    directory = await mkdtemp(join(tmpdir(), "audit-chain-migration-"));
  }, 30_000);
  afterEach(async () => {
    await db.close();
    await rm(directory, { recursive: true, force: true });
  });

  const writeMigrations = async (upTo: string) => {
    for (const { fileName, sql } of shippedMigrations) if (fileName <= upTo) await writeFile(join(directory, fileName), sql);
  };

  test("entries recorded before it are chained per user, and each hash is the one the function computes", async () => {
    await writeMigrations("0004_task_time_zone.sql");
    await migrate(db, { directory });
    for (const [eventId, userId] of [["e1", "ada"], ["e2", "bob"], ["e3", "ada"], ["e4", "ada"]]) {
      await db.query(
        `INSERT INTO audit_entries (event_id, type, topic, task_id, user_id, event, event_time)
         VALUES ($1, 'todo.task.created.v1', 'task-events', NULL, $2, $3::jsonb, '2030-03-01T09:00:00.123456Z')`,
        [eventId, userId, { id: eventId, data: { userId, note: "é\"\\" } }],
      );
    }
    await writeMigrations("0005_audit_chain.sql");
    expect((await migrate(db, { directory })).applied).toEqual(["0005_audit_chain"]);

    const rows = await db.query<{ event_id: string; prev_hash: string | null; hash: string; recomputed: string }>(
      `SELECT event_id, prev_hash, hash,
              audit_entry_hash(prev_hash, event_id, type, topic, task_id, user_id, event, event_time, recorded_at) AS recomputed
         FROM audit_entries ORDER BY seq`,
    );
    const byId = Object.fromEntries(rows.map((row) => [row.event_id, row]));
    expect(byId.e1?.prev_hash).toBeNull();
    expect(byId.e2?.prev_hash).toBeNull();
    expect(byId.e3?.prev_hash).toBe(byId.e1!.hash);
    expect(byId.e4?.prev_hash).toBe(byId.e3!.hash);
    for (const row of rows) expect(row.hash).toBe(row.recomputed);
    // Still append-only afterwards.
    await expect(db.query("UPDATE audit_entries SET type = 'forged'")).rejects.toThrow(/append-only/);
    // Two migration runs of a fresh database.
  }, 30_000);

  test("the hash does not depend on the session's time zone", async () => {
    await writeMigrations("0005_audit_chain.sql");
    await migrate(db, { directory });
    const hashIn = async (zone: string) =>
      await db.transaction(async (tx) => {
        await tx.query(`SET LOCAL TIME ZONE '${zone}'`);
        const [row] = await tx.query<{ hash: string }>(
          `SELECT audit_entry_hash(NULL, 'e', 't', 'topic', NULL, 'u', '{}'::jsonb, '2030-03-01T09:00:00Z', '2030-03-01T09:00:01Z') AS hash`,
        );
        return row?.hash;
      });
    expect(await hashIn("Asia/Karachi")).toBe(await hashIn("UTC"));
  }, 30_000);
});
