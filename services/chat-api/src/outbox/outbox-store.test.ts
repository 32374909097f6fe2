import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Database } from "@todo/common/db";
import { testDatabases } from "@todo/testkit/databases";
import { Registry } from "prom-client";
import { registerOutboxBacklogGauge } from "./outbox-metrics.ts";
import { appendToOutbox, markPublished, readPendingOutbox } from "./outbox-store.ts";
import { reminderEvent, taskEvent, taskId } from "./outbox.fixture.ts";

describe.each(testDatabases())("the outbox store on $name", ({ open }) => {
  let db: Database;
  beforeEach(async () => {
    db = await open();
  });
  afterEach(() => db.close());

  test("appended events are pending in order, keyed by task id, on their catalogue topic", async () => {
    const created = taskEvent(taskId(1), 1);
    const cancelled = reminderEvent(taskId(1), 2);
    const other = taskEvent(taskId(2), 1);
    await db.transaction(async (tx) => {
      await appendToOutbox(tx, [created, cancelled]);
      await appendToOutbox(tx, [other]);
    });

    const pending = await readPendingOutbox(db, 10);
    expect(pending.map((row) => [row.eventId, row.topic, row.partitionKey, row.attempts])).toEqual([
      [created.id, "task-events", taskId(1), 0],
      [cancelled.id, "reminder-events", taskId(1), 0],
      [other.id, "task-events", taskId(2), 0],
    ]);
    expect(pending[0]?.event).toEqual(JSON.parse(JSON.stringify(created)));
    expect(pending[0]?.event).toMatchObject({ id: created.id, specversion: "1.0", subject: taskId(1), data: created.data });
    expect(BigInt(pending[0]!.seq)).toBeLessThan(BigInt(pending[1]!.seq));
  });

  test("nothing is pending from a transaction that rolled back", async () => {
    const attempt = db.transaction(async (tx) => {
      await appendToOutbox(tx, [taskEvent(taskId(1), 1)]);
      throw new Error("validation failed after the write");
    });
    await expect(attempt).rejects.toThrow("validation failed");
    expect(await readPendingOutbox(db, 10)).toEqual([]);
  });

  test("the same event cannot be appended twice", async () => {
    const event = taskEvent(taskId(1), 1);
    await db.transaction((tx) => appendToOutbox(tx, [event]));
    await expect(db.transaction((tx) => appendToOutbox(tx, [event]))).rejects.toThrow();
    expect(await readPendingOutbox(db, 10)).toHaveLength(1);
  });

  test("/metrics reports the unpublished backlog as outbox_pending_events", async () => {
    const registry = new Registry();
    registerOutboxBacklogGauge(registry, db);
    registerOutboxBacklogGauge(registry, db); // a second app on the shared registry reuses it
    await db.transaction((tx) => appendToOutbox(tx, [taskEvent(taskId(1), 1), taskEvent(taskId(2), 1)]));
    expect(await registry.metrics()).toContain("outbox_pending_events 2");
    const [first] = await readPendingOutbox(db, 1);
    await markPublished(db, [first!.seq]);
    expect(await registry.metrics()).toContain("outbox_pending_events 1");
  });
});
