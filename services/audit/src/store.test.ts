import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Database } from "@todo/common/db";
import { testDatabases } from "@todo/testkit/databases";
import { auditEntryOf } from "./audit-entry.ts";
import { newUserId, taskCreated } from "./audit.fixture.ts";
import { appendAuditEntry } from "./store.ts";

describe.each(testDatabases())("audit_entries on $name", ({ open }) => {
  let db: Database;
  beforeEach(async () => {
    db = await open();
  });
  afterEach(async () => {
    await db.close();
  });

  const count = async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_entries"))[0]?.n;

  test("an entry is appended once per event id", async () => {
    const entry = auditEntryOf(taskCreated(newUserId()), "task-events");
    expect(await appendAuditEntry(db, entry)).toBe(true);
    expect(await appendAuditEntry(db, entry)).toBe(false);
    expect(await count()).toBe(1);
  });

  test.each([
    ["UPDATE", "UPDATE audit_entries SET type = 'forged'"],
    ["UPDATE of no row", "UPDATE audit_entries SET type = 'forged' WHERE false"],
    ["DELETE", "DELETE FROM audit_entries"],
    ["TRUNCATE", "TRUNCATE audit_entries"],
  ])("%s is refused and changes nothing", async (_name, sql) => {
    const event = taskCreated(newUserId());
    await appendAuditEntry(db, auditEntryOf(event, "task-events"));
    await expect(db.query(sql)).rejects.toThrow(/append-only/);
    const rows = await db.query<{ type: string }>("SELECT type FROM audit_entries");
    expect(rows).toEqual([{ type: event.type }]);
  });
});
