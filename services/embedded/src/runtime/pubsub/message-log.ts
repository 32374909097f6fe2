import type { Database } from "bun:sqlite";

/**
 * The durable pub/sub log: an append-only table of published envelopes and
 * the acknowledged offset of every consumer (app) per topic partition.
 * Sequence numbers are never reused (AUTOINCREMENT), so an offset stays
 * meaningful after retention deletes old rows.
 */
export interface LoggedMessage {
  seq: number;
  pubsub: string;
  topic: string;
  partition: number;
  key: string | null;
  metadata: Record<string, string>;
  payload: Uint8Array;
  publishedAt: number;
}

export type NewMessage = Omit<LoggedMessage, "seq" | "publishedAt">;

export interface ConsumerPosition {
  consumer: string;
  pubsub: string;
  topic: string;
  partition: number;
}

export interface MessageLog {
  /** Appends every message in one transaction; returns their sequence numbers. */
  append(messages: NewMessage[], publishedAt: number): number[];
  /** The next message of a partition after `afterSeq`, if any. */
  next(pubsub: string, topic: string, partition: number, afterSeq: number): LoggedMessage | undefined;
  /** The last acknowledged sequence number of a consumer (0 for a consumer seen for the first time). */
  ackedSeq(position: ConsumerPosition): number;
  /** Records the app's answer; `forward` (the dead-letter copy) commits in the same transaction. */
  ack(position: ConsumerPosition, seq: number, forward?: { messages: NewMessage[]; publishedAt: number }): void;
  /** Partitions of a topic that hold messages, beyond those a worker runs for anyway. */
  partitionsInUse(pubsub: string, topic: string): number[];
  /**
   * Deletes messages older than `cutoff` that every listed consumer has acknowledged.
   * `consumersOf` names the current consumers of a topic. Returns the number deleted.
   */
  deleteAcknowledged(cutoff: number, consumersOf: (pubsub: string, topic: string) => string[]): number;
  count(pubsub?: string, topic?: string): number;
}

interface MessageRow {
  seq: number;
  pubsub: string;
  topic: string;
  partition: number;
  key: string | null;
  metadata: string;
  payload: Uint8Array;
  published_at: number;
}

export function createMessageLog(db: Database): MessageLog {
  db.exec(`
    CREATE TABLE IF NOT EXISTS pubsub_messages (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      pubsub TEXT NOT NULL,
      topic TEXT NOT NULL,
      partition INTEGER NOT NULL,
      key TEXT,
      metadata TEXT NOT NULL,
      payload BLOB NOT NULL,
      published_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS pubsub_messages_by_partition ON pubsub_messages (pubsub, topic, partition, seq);
    CREATE INDEX IF NOT EXISTS pubsub_messages_by_age ON pubsub_messages (published_at);
    CREATE TABLE IF NOT EXISTS pubsub_offsets (
      consumer TEXT NOT NULL,
      pubsub TEXT NOT NULL,
      topic TEXT NOT NULL,
      partition INTEGER NOT NULL,
      acked_seq INTEGER NOT NULL,
      PRIMARY KEY (consumer, pubsub, topic, partition)
    );
  `);

  const insert = db.query<{ seq: number }, [Record<string, string | number | null | Uint8Array>]>(
    `INSERT INTO pubsub_messages (pubsub, topic, partition, key, metadata, payload, published_at)
     VALUES ($pubsub, $topic, $partition, $key, $metadata, $payload, $publishedAt) RETURNING seq`,
  );
  const selectNext = db.query<MessageRow, [Record<string, string | number>]>(
    `SELECT * FROM pubsub_messages WHERE pubsub = $pubsub AND topic = $topic AND partition = $partition AND seq > $after
     ORDER BY seq LIMIT 1`,
  );
  const selectOffset = db.query<{ acked_seq: number }, [Record<string, string | number>]>(
    `SELECT acked_seq FROM pubsub_offsets
     WHERE consumer = $consumer AND pubsub = $pubsub AND topic = $topic AND partition = $partition`,
  );
  const upsertOffset = db.query<never, [Record<string, string | number>]>(
    `INSERT INTO pubsub_offsets (consumer, pubsub, topic, partition, acked_seq)
     VALUES ($consumer, $pubsub, $topic, $partition, $seq)
     ON CONFLICT (consumer, pubsub, topic, partition) DO UPDATE SET acked_seq = max(acked_seq, excluded.acked_seq)`,
  );

  const appendAll = (messages: NewMessage[], publishedAt: number) =>
    messages.map((m) => {
      const row = insert.get({
        pubsub: m.pubsub,
        topic: m.topic,
        partition: m.partition,
        key: m.key,
        metadata: JSON.stringify(m.metadata),
        payload: m.payload,
        publishedAt,
      });
      return row?.seq ?? 0;
    });

  const append = db.transaction(appendAll);
  const ack = db.transaction(
    (position: ConsumerPosition, seq: number, forward?: { messages: NewMessage[]; publishedAt: number }) => {
      if (forward) appendAll(forward.messages, forward.publishedAt);
      upsertOffset.run({ ...position, seq });
    },
  );

  return {
    append: (messages, publishedAt) => append(messages, publishedAt),
    next(pubsub, topic, partition, afterSeq) {
      const row = selectNext.get({ pubsub, topic, partition, after: afterSeq });
      return row ? toMessage(row) : undefined;
    },
    ackedSeq: (position) => selectOffset.get({ ...position })?.acked_seq ?? 0,
    ack: (position, seq, forward) => ack(position, seq, forward),
    partitionsInUse(pubsub, topic) {
      return db
        .query<{ partition: number }, [Record<string, string>]>(
          "SELECT DISTINCT partition FROM pubsub_messages WHERE pubsub = $pubsub AND topic = $topic",
        )
        .all({ pubsub, topic })
        .map((row) => row.partition);
    },
    deleteAcknowledged(cutoff, consumersOf) {
      const groups = db
        .query<{ pubsub: string; topic: string; partition: number }, [Record<string, number>]>(
          "SELECT DISTINCT pubsub, topic, partition FROM pubsub_messages WHERE published_at < $cutoff",
        )
        .all({ cutoff });
      let deleted = 0;
      for (const { pubsub, topic, partition } of groups) {
        const consumers = consumersOf(pubsub, topic);
        const upTo = consumers.length === 0
          ? Number.MAX_SAFE_INTEGER
          : Math.min(...consumers.map((consumer) => selectOffset.get({ consumer, pubsub, topic, partition })?.acked_seq ?? 0));
        deleted += db
          .query<never, [Record<string, string | number>]>(
            `DELETE FROM pubsub_messages
             WHERE pubsub = $pubsub AND topic = $topic AND partition = $partition AND seq <= $upTo AND published_at < $cutoff`,
          )
          .run({ pubsub, topic, partition, upTo, cutoff }).changes;
      }
      return deleted;
    },
    count(pubsub, topic) {
      if (pubsub === undefined) return db.query<{ n: number }, []>("SELECT count(*) AS n FROM pubsub_messages").get()?.n ?? 0;
      return (
        db
          .query<{ n: number }, [Record<string, string>]>(
            "SELECT count(*) AS n FROM pubsub_messages WHERE pubsub = $pubsub AND topic = $topic",
          )
          .get({ pubsub, topic: topic ?? "" })?.n ?? 0
      );
    },
  };
}

function toMessage(row: MessageRow): LoggedMessage {
  return {
    seq: row.seq,
    pubsub: row.pubsub,
    topic: row.topic,
    partition: row.partition,
    key: row.key,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    payload: row.payload,
    publishedAt: row.published_at,
  };
}
