import type { Database, Queryable } from "@todo/common/db";
import type { NewAuditEntry } from "./audit-entry.ts";

/** The audit service's SQL: nothing else reads or writes audit_entries. */

// Advisory-lock namespace of the audit chain ("audt"), apart from chat-api's ("chat"): one lock per user.
const CHAIN_LOCK_NAMESPACE = 0x61756474;

/**
 * Appends one entry, unless its event id is already recorded: exactly once per
 * event id, even when the idempotency record in Dapr state has expired.
 * Resolves true when this call recorded it.
 *
 * The entry links to the user's previous one (prev_hash) and gets its own
 * hash (audit_entry_hash, migration 0005). A per-user lock held until commit
 * makes concurrent deliveries for one user take turns, so the chain never
 * forks; different users never wait for each other.
 */
export async function appendAuditEntry(db: Database, entry: NewAuditEntry): Promise<boolean> {
  return await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [CHAIN_LOCK_NAMESPACE, entry.userId]);
    const rows = await tx.query(
      `WITH previous AS (
         SELECT (SELECT hash FROM audit_entries WHERE user_id = $5 ORDER BY seq DESC LIMIT 1) AS hash
       )
       INSERT INTO audit_entries (event_id, type, topic, task_id, user_id, event, event_time, recorded_at, prev_hash, hash)
       SELECT $1, $2, $3, $4, $5, $6::jsonb, $7::timestamptz, now(), previous.hash,
              audit_entry_hash(previous.hash, $1, $2, $3, $4, $5, $6::jsonb, $7::timestamptz, now())
         FROM previous
       ON CONFLICT (event_id) DO NOTHING
       RETURNING seq`,
      [entry.eventId, entry.type, entry.topic, entry.taskId, entry.userId, entry.event, entry.eventTime],
    );
    return rows.length > 0;
  });
}

/** Why a link of a user's chain does not hold. */
export type ChainProblem =
  /** The entry's content (or its prev_hash) no longer matches its hash: it was edited. */
  | "entry_altered"
  /** Its prev_hash is not the hash of the entry before it: an entry was removed, inserted or reordered before it. */
  | "link_broken";

export interface BrokenLink {
  userId: string;
  /** The first entry of the user's trail that does not check out. */
  eventId: string;
  seq: string;
  problem: ChainProblem;
}

export interface ChainReport {
  ok: boolean;
  checkedEntries: number;
  checkedUsers: number;
  /** The first broken link of each user whose chain is broken (at most MAX_BROKEN_LISTED). */
  broken: BrokenLink[];
}

export const MAX_BROKEN_LISTED = 1000;

/**
 * Recomputes every entry's hash (of one user, or of everyone) and checks that
 * each entry points at the one before it. One statement, so it reads one
 * snapshot of the trail while deliveries go on appending.
 */
export async function verifyAuditChains(db: Queryable, userId?: string): Promise<ChainReport> {
  const rows = await db.query<{ userId: string | null; eventId: string | null; seq: string | null; problem: ChainProblem | null; entries: number; users: number }>(
    `WITH checked AS (
       SELECT user_id, seq, event_id,
              CASE
                WHEN hash IS DISTINCT FROM audit_entry_hash(prev_hash, event_id, type, topic, task_id, user_id, event, event_time, recorded_at)
                  THEN 'entry_altered'
                WHEN prev_hash IS DISTINCT FROM lag(hash) OVER (PARTITION BY user_id ORDER BY seq)
                  THEN 'link_broken'
              END AS problem
         FROM audit_entries
        WHERE $1::text IS NULL OR user_id = $1
     ),
     first_broken AS (
       SELECT DISTINCT ON (user_id) user_id, seq, event_id, problem
         FROM checked
        WHERE problem IS NOT NULL
        ORDER BY user_id, seq
     ),
     totals AS (SELECT count(*)::int AS entries, count(DISTINCT user_id)::int AS users FROM checked)
     SELECT b.user_id AS "userId", b.event_id AS "eventId", b.seq::text AS seq, b.problem, t.entries, t.users
       FROM totals t
       LEFT JOIN LATERAL (SELECT * FROM first_broken ORDER BY user_id LIMIT $2) b ON true`,
    [userId ?? null, MAX_BROKEN_LISTED],
  );
  const broken = rows.flatMap((row) =>
    row.userId && row.eventId && row.seq && row.problem ? [{ userId: row.userId, eventId: row.eventId, seq: row.seq, problem: row.problem }] : [],
  );
  return { ok: broken.length === 0, checkedEntries: rows[0]?.entries ?? 0, checkedUsers: rows[0]?.users ?? 0, broken };
}

export interface AuditEntry {
  eventId: string;
  type: string;
  topic: string;
  taskId: string | null;
  userId: string;
  time: string;
  recordedAt: string;
  event: Record<string, unknown>;
}

export interface AuditQuery {
  userId: string;
  taskId?: string;
  type?: string;
  /** Only entries recorded after this position (see findCursor). */
  afterSeq?: string;
  limit: number;
}

interface AuditRow {
  seq: string;
  eventId: string;
  type: string;
  topic: string;
  taskId: string | null;
  userId: string;
  eventTime: Date;
  recordedAt: Date;
  event: Record<string, unknown>;
}

/** The recorded position of one of the user's events; undefined when the user has no such event. */
export async function findCursor(db: Queryable, userId: string, eventId: string): Promise<string | undefined> {
  const rows = await db.query<{ seq: string }>("SELECT seq FROM audit_entries WHERE event_id = $1 AND user_id = $2", [eventId, userId]);
  return rows[0]?.seq;
}

/** Up to `limit` of the user's entries in recorded order, and whether more follow. */
export async function listAuditEntries(db: Queryable, query: AuditQuery): Promise<{ items: AuditEntry[]; more: boolean }> {
  const rows = await db.query<AuditRow>(
    `SELECT seq, event_id AS "eventId", type, topic, task_id AS "taskId", user_id AS "userId",
            event_time AS "eventTime", recorded_at AS "recordedAt", event
       FROM audit_entries
      WHERE user_id = $1
        AND ($2::text IS NULL OR task_id = $2)
        AND ($3::text IS NULL OR type = $3)
        AND seq > $4::bigint
      ORDER BY seq
      LIMIT $5`,
    [query.userId, query.taskId ?? null, query.type ?? null, query.afterSeq ?? "0", query.limit + 1],
  );
  return { items: rows.slice(0, query.limit).map(entryOf), more: rows.length > query.limit };
}

function entryOf(row: AuditRow): AuditEntry {
  return {
    eventId: row.eventId,
    type: row.type,
    topic: row.topic,
    taskId: row.taskId,
    userId: row.userId,
    time: row.eventTime.toISOString(),
    recordedAt: row.recordedAt.toISOString(),
    event: row.event,
  };
}

export interface AuditGap {
  eventId: string;
  type: string;
  topic: string;
  createdAt: string;
}

/** Most gaps listed in one report; `checked` still counts every row. */
export const MAX_GAPS_LISTED = 1000;

/**
 * Outbox rows published at least `graceSeconds` ago whose event is not in the
 * audit trail. The grace period covers the delivery still in flight after a
 * publish; the clock is the database's, the one that stamped published_at.
 * One transaction, so the count and the list share that clock's `now()`.
 */
export async function findAuditGaps(db: Database, graceSeconds: number): Promise<{ missing: AuditGap[]; checked: number }> {
  return await db.transaction(async (tx) => {
    const published = "o.published_at IS NOT NULL AND o.published_at <= now() - make_interval(secs => $1)";
    const [count] = await tx.query<{ checked: number }>(`SELECT count(*)::int AS checked FROM outbox o WHERE ${published}`, [graceSeconds]);
    const missing = await tx.query<{ eventId: string; type: string; topic: string; createdAt: Date }>(
      `SELECT o.event_id::text AS "eventId", o.event->>'type' AS type, o.topic, o.created_at AS "createdAt"
         FROM outbox o
        WHERE ${published}
          AND NOT EXISTS (SELECT 1 FROM audit_entries a WHERE a.event_id = o.event_id::text)
        ORDER BY o.seq
        LIMIT $2`,
      [graceSeconds, MAX_GAPS_LISTED],
    );
    return {
      missing: missing.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })),
      checked: count?.checked ?? 0,
    };
  });
}

/** Readiness: the database answers and the audit table exists (migrations ran). */
export async function auditTableReady(db: Queryable): Promise<boolean> {
  await db.query("SELECT 1 FROM audit_entries LIMIT 0");
  return true;
}
