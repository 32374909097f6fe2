import { topicOf, type TypedEvent } from "@todo/common";
import type { Queryable } from "@todo/common/db";

/**
 * Writes events to the outbox inside the caller's transaction, so they exist
 * exactly when the change they describe commits. Call it after writing the
 * task row: on PostgreSQL the row lock then makes a later change of the same
 * task wait for this commit, so its events get higher seq numbers and the
 * relay publishes one task's events in order.
 */
export async function appendToOutbox(tx: Queryable, events: TypedEvent[]): Promise<void> {
  if (events.length === 0) return;
  // One statement for the whole change: seq follows the VALUES order, and a round trip costs more than a row.
  const params: unknown[] = [];
  const rows = events.map((event) => {
    if (event.subject === undefined) throw new Error(`event ${event.id} (${event.type}) has no subject: the outbox keys events by task id`);
    params.push(event.id, topicOf(publishedType(event)), event.subject, event.toJSON());
    const at = params.length - 3;
    return `($${at}, $${at + 1}, $${at + 2}, $${at + 3})`;
  });
  await tx.query(`INSERT INTO outbox (event_id, topic, partition_key, event) VALUES ${rows.join(", ")}`, params);
}

function publishedType(event: TypedEvent) {
  if (event.type === "todo.sync.reset.v1") throw new Error(`event type ${event.type} is never published to pub/sub`);
  return event.type;
}

/** A row the relay has still to publish. */
export interface PendingOutboxRow {
  seq: string;
  eventId: string;
  topic: string;
  partitionKey: string;
  event: Record<string, unknown>;
  attempts: number;
}

export async function readPendingOutbox(db: Queryable, limit: number): Promise<PendingOutboxRow[]> {
  return await db.query<PendingOutboxRow>(
    `SELECT seq, event_id AS "eventId", topic, partition_key AS "partitionKey", event, attempts
       FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1`,
    [limit],
  );
}

/** One statement for a round's published rows: a round trip per row was most of the relay's database work. */
export async function markPublished(db: Queryable, seqs: readonly string[]): Promise<void> {
  if (seqs.length === 0) return;
  await db.query("UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE seq = ANY($1::bigint[])", [
    seqs,
  ]);
}

export async function recordPublishFailure(db: Queryable, seq: string, error: string): Promise<void> {
  await db.query("UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = $1", [seq, error.slice(0, 1000)]);
}

export async function hasPendingOutbox(db: Queryable): Promise<boolean> {
  const rows = await db.query("SELECT 1 FROM outbox WHERE published_at IS NULL LIMIT 1");
  return rows.length > 0;
}

/** Committed events not yet published (the outbox_pending partial index keeps this cheap). */
export async function countPendingOutbox(db: Queryable): Promise<number> {
  const [row] = await db.query<{ pending: number }>("SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL");
  return row?.pending ?? 0;
}
