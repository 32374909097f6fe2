import type { Database, Queryable } from "@todo/common/db";
import type { NewAuditEntry } from "./audit-entry.ts";

/** The audit service's SQL: nothing else reads or writes audit_entries. */

/**
 * Appends one entry, unless its event id is already recorded: exactly once per
 * event id, even when the idempotency record in Dapr state has expired.
 * Resolves true when this call recorded it.
 */
export async function appendAuditEntry(db: Queryable, entry: NewAuditEntry): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO audit_entries (event_id, type, topic, task_id, user_id, event, event_time)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (event_id) DO NOTHING
     RETURNING seq`,
    [entry.eventId, entry.type, entry.topic, entry.taskId, entry.userId, entry.event, entry.eventTime],
  );
  return rows.length > 0;
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
