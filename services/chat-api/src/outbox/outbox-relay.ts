import type { BackgroundTask, DaprClient, Logger } from "@todo/common";
import { advisoryLocks } from "@todo/common/db";
import type { Database, Queryable } from "@todo/common/db";
import { markPublished, readPendingOutbox, recordPublishFailure } from "./outbox-store.ts";
import { createWakeup } from "./wakeup.ts";

export interface OutboxRelayOptions {
  db: Database;
  dapr: DaprClient;
  /** The Dapr pub/sub component name. */
  pubsub: string;
  logger: Logger;
  /** Rows read and published per round (default 100). */
  batchSize?: number;
  /** How often to look for rows nobody notified about, e.g. written by another replica (default 1 s). */
  pollIntervalMs?: number;
  /** First wait after a failed publish; doubles per failure up to maxBackoffMs (defaults 200 ms, 30 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface OutboxRelay extends BackgroundTask {
  /** A transaction with outbox rows committed: publish without waiting for the next poll. */
  notify(): void;
}

type RoundOutcome =
  | { kind: "more" }
  | { kind: "idle" }
  | { kind: "failed"; error: unknown };

/**
 * Publishes committed outbox rows through Dapr in seq order and marks them
 * published. At-least-once: a crash between publish and mark publishes the
 * row again with the same CloudEvent id, and consumers de-duplicate by id.
 * A failed publish ends the round without skipping the row (so one task's
 * events never overtake each other) and the relay retries with exponential
 * back-off. On PostgreSQL one replica at a time publishes: each round runs in
 * a transaction holding an advisory lock; PGlite has a single owner process.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, dapr, pubsub, logger } = options;
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const initialBackoffMs = options.initialBackoffMs ?? 200;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;

  const wakeup = createWakeup();
  let running = false;
  let loop: Promise<void> | undefined;

  async function publishPending(q: Queryable): Promise<RoundOutcome> {
    const rows = await readPendingOutbox(q, batchSize);
    // Marked together at the end of the round (or before a failure is recorded). A crash before
    // that publishes the round's rows again with the same ids, which consumers already de-duplicate.
    const published: string[] = [];
    for (const row of rows) {
      try {
        await dapr.publish(pubsub, row.topic, row.event, { partitionKey: row.partitionKey, traceparent: traceparentOf(row.event) });
      } catch (error) {
        await markPublished(q, published);
        await recordPublishFailure(q, row.seq, error instanceof Error ? error.message : String(error));
        logger.warn("outbox publish failed; retrying with back-off", {
          eventId: row.eventId,
          seq: row.seq,
          topic: row.topic,
          attempts: row.attempts + 1,
          error,
        });
        return { kind: "failed", error };
      }
      published.push(row.seq);
      logger.debug("outbox event published", { eventId: row.eventId, seq: row.seq, topic: row.topic });
    }
    await markPublished(q, published);
    return { kind: rows.length === batchSize ? "more" : "idle" };
  }

  async function round(): Promise<RoundOutcome> {
    if (db.kind === "pglite") return await publishPending(db);
    return await db.transaction(async (tx) => {
      const [lock] = await tx.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock($1, $2) AS locked", [
        ...advisoryLocks.outboxRelay,
      ]);
      // Another replica is publishing; its rounds end with a commit, so order holds when we take over.
      if (!lock?.locked) return { kind: "idle" };
      return await publishPending(tx);
    });
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (running) {
      // Cleared before reading: a notify that arrives during the round triggers another one.
      wakeup.clearNotified();
      let outcome: RoundOutcome;
      try {
        outcome = await round();
      } catch (error) {
        logger.error("outbox relay round failed", { error });
        outcome = { kind: "failed", error };
      }
      if (!running) break;
      if (outcome.kind === "failed") {
        failures += 1;
        // A notify must not cut the back-off short: every write would hammer a failing broker.
        await wakeup.sleep(Math.min(maxBackoffMs, initialBackoffMs * 2 ** (failures - 1)), { onNotify: false });
        continue;
      }
      if (failures > 0) logger.info("outbox publishing recovered", { failedRounds: failures });
      failures = 0;
      if (outcome.kind === "idle") await wakeup.sleep(pollIntervalMs, { onNotify: true });
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      // A restart right after stop() waits for the old loop, so two never run at once.
      loop = (loop ?? Promise.resolve()).then(run);
    },
    async stop() {
      if (!running) return;
      running = false;
      wakeup.interrupt();
      // The round in flight finishes (its rows are marked); only waits are cut short.
      await loop;
    },
    notify() {
      wakeup.notify();
    },
  };
}

function traceparentOf(event: Record<string, unknown>): string | undefined {
  return typeof event.traceparent === "string" ? event.traceparent : undefined;
}
