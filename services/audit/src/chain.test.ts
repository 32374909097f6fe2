import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Database } from "@todo/common/db";
import { testDatabases } from "@todo/testkit/databases";
import { ADMIN_TOKEN, auditApp, deliver, get, newUserId, taskCreated, taskUpdated, userToken, type AuditApp } from "./audit.fixture.ts";

/**
 * The hash chain seen from outside: entries are recorded through deliveries,
 * then someone who can bypass the append-only trigger (the table's owner)
 * edits, removes or forges rows directly in SQL, and the checks name the
 * first entry that no longer holds.
 */
describe.each(testDatabases())("audit hash chain on $name", ({ open }) => {
  let db: Database;
  let app: AuditApp;
  beforeAll(async () => {
    db = await open();
    ({ app } = await auditApp(db));
  });
  afterAll(async () => {
    await db.close();
  });

  /** A user with `count` recorded events (one task created, then updated); resolves their ids in recorded order. */
  async function userWithTrail(count: number): Promise<{ userId: string; eventIds: string[] }> {
    const userId = newUserId();
    const created = taskCreated(userId);
    const events = [created, ...Array.from({ length: count - 1 }, (_, i) => taskUpdated(userId, created.data.task.id, i + 2))];
    for (const event of events) expect(await deliver(app, "task-events", event)).toBe("SUCCESS");
    return { userId, eventIds: events.map((event) => event.id) };
  }

  /** What an owner or superuser can do: switch the append-only trigger off for one statement. */
  async function tamper(sql: string, params: unknown[]) {
    await db.transaction(async (tx) => {
      await tx.query("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only");
      await tx.query(sql, params);
      await tx.query("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only");
    });
  }

  const adminVerify = async (query = "") => await get(app, `/api/audit/verify${query}`, `Bearer ${ADMIN_TOKEN}`);
  const ownVerify = async (userId: string) => await get(app, "/api/audit/verify/mine", `Bearer ${await userToken(userId)}`);
  const seqOf = async (eventId: string) =>
    (await db.query<{ seq: string }>("SELECT seq::text AS seq FROM audit_entries WHERE event_id = $1", [eventId]))[0]?.seq;

  test("each entry carries the hash of the user's previous one; an untouched trail verifies", async () => {
    const { userId, eventIds } = await userWithTrail(3);
    const rows = await db.query<{ event_id: string; prev_hash: string | null; hash: string }>(
      "SELECT event_id, prev_hash, hash FROM audit_entries WHERE user_id = $1 ORDER BY seq",
      [userId],
    );
    expect(rows.map((row) => row.event_id)).toEqual(eventIds);
    expect(rows[0]?.prev_hash).toBeNull();
    expect(rows[1]?.prev_hash).toBe(rows[0]!.hash);
    expect(rows[2]?.prev_hash).toBe(rows[1]!.hash);
    for (const row of rows) expect(row.hash).toMatch(/^[0-9a-f]{64}$/);

    expect((await ownVerify(userId)).body).toEqual({ ok: true, checkedEntries: 3, checkedUsers: 1, broken: [] });
    expect((await adminVerify(`?userId=${userId}`)).body).toEqual({ ok: true, checkedEntries: 3, checkedUsers: 1, broken: [] });
  });

  test("a row edited directly in the database is reported as the first broken link, to the admin and to its user", async () => {
    const bystander = await userWithTrail(2);
    const victim = await userWithTrail(4);
    // Rewrite history: the second event now says the task got another title.
    await tamper(`UPDATE audit_entries SET event = jsonb_set(event, '{data,task,title}', '"Nothing to see"') WHERE event_id = $1`, [
      victim.eventIds[1],
    ]);
    const expected = { userId: victim.userId, eventId: victim.eventIds[1], seq: await seqOf(victim.eventIds[1]!), problem: "entry_altered" };

    const all = await adminVerify();
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ ok: false, broken: [expected] });
    expect((await ownVerify(victim.userId)).body).toMatchObject({ ok: false, checkedEntries: 4, broken: [expected] });
    expect((await ownVerify(bystander.userId)).body).toMatchObject({ ok: true, broken: [] });

    // Putting the old text back (same hash inputs) restores the link: the check reads content, not a flag.
    await tamper(`UPDATE audit_entries SET event = jsonb_set(event, '{data,task,title}', '"Pay rent v2"') WHERE event_id = $1`, [victim.eventIds[1]]);
    expect((await ownVerify(victim.userId)).body).toMatchObject({ ok: true });
  });

  test.each([
    ["its time", "UPDATE audit_entries SET event_time = event_time + interval '1 hour' WHERE event_id = $1"],
    ["its type", "UPDATE audit_entries SET type = 'todo.task.deleted.v1' WHERE event_id = $1"],
    ["the hash it points at", "UPDATE audit_entries SET prev_hash = repeat('0', 64) WHERE event_id = $1"],
  ])("changing %s of an entry is reported", async (_what, sql) => {
    const { userId, eventIds } = await userWithTrail(3);
    await tamper(sql, [eventIds[2]]);
    const report = (await ownVerify(userId)).body as { ok: boolean; broken: { eventId: string }[] };
    expect(report.ok).toBe(false);
    expect(report.broken.map((link) => link.eventId)).toEqual([eventIds[2]!]);
  });

  test("an entry moved to another user breaks both trails", async () => {
    const { userId, eventIds } = await userWithTrail(3);
    const other = `someone-else-${crypto.randomUUID()}`;
    await tamper("UPDATE audit_entries SET user_id = $2 WHERE event_id = $1", [eventIds[1], other]);
    expect((await ownVerify(userId)).body).toMatchObject({ ok: false, broken: [{ eventId: eventIds[2], problem: "link_broken" }] });
    expect((await adminVerify(`?userId=${other}`)).body).toMatchObject({ ok: false, broken: [{ eventId: eventIds[1], problem: "entry_altered" }] });
  });

  test("a deleted entry breaks the link of the one after it", async () => {
    const { userId, eventIds } = await userWithTrail(3);
    await tamper("DELETE FROM audit_entries WHERE event_id = $1", [eventIds[1]]);
    expect((await ownVerify(userId)).body).toMatchObject({
      ok: false,
      checkedEntries: 2,
      broken: [{ userId, eventId: eventIds[2], problem: "link_broken" }],
    });
  });

  test("a forged entry with a made-up hash is reported", async () => {
    const { userId, eventIds } = await userWithTrail(2);
    await tamper(
      `INSERT INTO audit_entries (event_id, type, topic, task_id, user_id, event, event_time, prev_hash, hash)
       SELECT 'forged-' || event_id, type, topic, task_id, user_id, event, event_time, hash, repeat('f', 64)
         FROM audit_entries WHERE event_id = $1`,
      [eventIds[1]],
    );
    expect((await ownVerify(userId)).body).toMatchObject({ ok: false, broken: [{ eventId: `forged-${eventIds[1]}`, problem: "entry_altered" }] });
  });

  test("concurrent deliveries for one user never fork the chain", async () => {
    const userId = newUserId();
    const created = taskCreated(userId);
    const events = [created, ...Array.from({ length: 15 }, (_, i) => taskUpdated(userId, created.data.task.id, i + 2))];
    const statuses = await Promise.all(events.map((event) => deliver(app, "task-events", event)));
    expect(statuses.every((status) => status === "SUCCESS")).toBe(true);
    expect((await ownVerify(userId)).body).toEqual({ ok: true, checkedEntries: 16, checkedUsers: 1, broken: [] });
  });

  test("the admin check needs the admin token, and a user token only checks its own trail", async () => {
    expect((await get(app, "/api/audit/verify")).status).toBe(401);
    const { userId } = await userWithTrail(1);
    expect((await get(app, "/api/audit/verify", `Bearer ${await userToken(userId)}`)).status).toBe(401);
    expect((await get(app, "/api/audit/verify/mine")).status).toBe(401);
    expect((await adminVerify("?user=x")).status).toBe(400);
  });
});
