import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createMemoryLogger, type DaprClient, type TypedEvent } from "@todo/common";
import { expectUnchanged, waitFor } from "@todo/testkit";
import type { Database, Queryable } from "@todo/common/db";
import { migrate } from "@todo/common/db";
import { openPostgresDatabase } from "@todo/common/db";
import { createScratchPostgres, testDatabases, testDatabaseUrl } from "@todo/testkit/databases";
import { createOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from "./outbox-relay.ts";
import { appendToOutbox } from "./outbox-store.ts";
import { drained, PUBSUB, reminderEvent, spyOnPublish, startPubSub, taskEvent, taskId, type PubSubFixture } from "./outbox.fixture.ts";

async function commit(db: Database, events: TypedEvent[]): Promise<void> {
  await db.transaction((tx) => appendToOutbox(tx, events));
}

const ids = (events: { id: string }[]) => events.map((event) => event.id);

describe.each(testDatabases())("the outbox relay on $name", ({ open }) => {
  let db: Database;
  let pubsub: PubSubFixture;
  const relays: OutboxRelay[] = [];

  function startRelay(dapr: DaprClient, options: Partial<OutboxRelayOptions> = {}): OutboxRelay {
    const relay = createOutboxRelay({
      db,
      dapr,
      pubsub: PUBSUB,
      logger: createMemoryLogger("outbox"),
      pollIntervalMs: 20,
      initialBackoffMs: 10,
      maxBackoffMs: 200,
      ...options,
    });
    relays.push(relay);
    relay.start();
    return relay;
  }

  beforeEach(async () => {
    db = await open();
    pubsub = await startPubSub();
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await pubsub.stop();
    await db.close();
  });

  test("committed events reach subscribers unchanged, published in seq order with the task id as partition key", async () => {
    const spy = spyOnPublish(pubsub.dapr);
    const events = [taskEvent(taskId(1), 1), taskEvent(taskId(2), 1), reminderEvent(taskId(1), 2), taskEvent(taskId(1), 2)];
    await commit(db, events.slice(0, 2));
    await commit(db, events.slice(2));
    const relay = startRelay(spy.dapr);
    relay.notify();

    await waitFor(() => pubsub.received.length === events.length, { message: "4 deliveries", describe: () => JSON.stringify(ids(pubsub.received)) });
    expect(spy.calls.map((call) => call.eventId)).toEqual(ids(events));
    expect(spy.calls.map((call) => [call.topic, call.options?.partitionKey])).toEqual([
      ["task-events", taskId(1)],
      ["task-events", taskId(2)],
      ["reminder-events", taskId(1)],
      ["task-events", taskId(1)],
    ]);
    for (const event of events) {
      const delivered = pubsub.received.find((received) => received.id === event.id);
      expect(delivered).toMatchObject({
        id: event.id,
        type: event.type,
        source: "chat-api",
        subject: event.subject,
        time: event.time,
        data: event.data,
      });
    }
    await drained(relay, db);
    const [pending] = await db.query<{ n: string }>("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL");
    expect(pending?.n).toBe("0");
  });

  test("a notify publishes at once, without waiting for the next poll", async () => {
    const relay = startRelay(pubsub.dapr, { pollIntervalMs: 60_000 });
    // Let the first round find nothing, so the relay is idle on its 60 s poll.
    await expectUnchanged(() => pubsub.received.length, 50, "deliveries before any commit");
    await commit(db, [taskEvent(taskId(1), 1)]);
    relay.notify();
    await waitFor(() => pubsub.received.length === 1, { timeoutMs: 3000, message: "the notified event" });
  });

  test("events of a rolled-back transaction are never published", async () => {
    const spy = spyOnPublish(pubsub.dapr);
    const relay = startRelay(spy.dapr);
    const rolledBack = taskEvent(taskId(1), 1);
    await expect(
      db.transaction(async (tx) => {
        await appendToOutbox(tx, [rolledBack]);
        throw new Error("the task write failed");
      }),
    ).rejects.toThrow("the task write failed");
    const committed = taskEvent(taskId(2), 1);
    await commit(db, [committed]);
    relay.notify();

    await drained(relay, db);
    await waitFor(() => pubsub.received.length === 1, { message: "the committed event" });
    expect(ids(pubsub.received)).toEqual([committed.id]);
    expect(spy.calls.map((call) => call.eventId)).toEqual([committed.id]);
  });

  test("failed publishes are retried with growing back-off, in order, and nothing is lost", async () => {
    const spy = spyOnPublish(pubsub.dapr, { failFirst: 3 });
    const events = [taskEvent(taskId(1), 1), taskEvent(taskId(1), 2), taskEvent(taskId(1), 3)];
    for (const event of events) await commit(db, [event]);
    const logger = createMemoryLogger("outbox");
    const relay = startRelay(spy.dapr, { logger, initialBackoffMs: 20 });

    await waitFor(() => pubsub.received.length === 3, { message: "all 3 events after recovery" });
    // A delivery can reach the subscriber before the relay has marked its row.
    await drained(relay, db);
    expect(ids(pubsub.received)).toEqual(ids(events));
    // The first event was tried 4 times before the later ones were touched.
    expect(spy.calls.map((call) => call.eventId)).toEqual([events[0]!.id, events[0]!.id, events[0]!.id, ...ids(events)]);
    const gaps = spy.calls.slice(1, 4).map((call, index) => call.startedAt - spy.calls[index]!.startedAt);
    expect(gaps[0]).toBeGreaterThanOrEqual(19);
    expect(gaps[1]).toBeGreaterThanOrEqual(39);
    expect(gaps[2]).toBeGreaterThanOrEqual(79);

    const rows = await db.query("SELECT attempts, last_error, published_at IS NOT NULL AS published FROM outbox ORDER BY seq");
    expect(rows).toEqual([
      { attempts: 4, last_error: null, published: true },
      { attempts: 1, last_error: null, published: true },
      { attempts: 1, last_error: null, published: true },
    ]);
    expect(logger.records.filter((record) => record.msg === "outbox publish failed; retrying with back-off")).toHaveLength(3);
    expect(logger.records).toContainEqual(expect.objectContaining({ msg: "outbox publishing recovered" }));
  });

  test("a failed publish is recorded on its row while it keeps failing", async () => {
    const spy = spyOnPublish(pubsub.dapr, { failFirst: Number.MAX_SAFE_INTEGER });
    await commit(db, [taskEvent(taskId(1), 1)]);
    startRelay(spy.dapr);
    const row = await waitFor(async () => {
      const [found] = await db.query<{ attempts: number; last_error: string | null }>("SELECT attempts, last_error FROM outbox");
      return found && found.attempts >= 2 ? found : undefined;
    });
    expect(row.last_error).toBe("pub/sub is down");
    expect(pubsub.received).toEqual([]);
  });

  test("a relay restarted on the same database continues where the last one stopped", async () => {
    const first = [taskEvent(taskId(1), 1), taskEvent(taskId(2), 1)];
    await commit(db, first);
    const before = startRelay(pubsub.dapr);
    await drained(before, db);
    await before.stop();

    const second = [taskEvent(taskId(1), 2), taskEvent(taskId(3), 1)];
    await commit(db, second);
    const spy = spyOnPublish(pubsub.dapr);
    startRelay(spy.dapr);

    await waitFor(() => pubsub.received.length === 4, { message: "4 deliveries" });
    expect(spy.calls.map((call) => call.eventId)).toEqual(ids(second));
    expect(ids(pubsub.received).sort()).toEqual(ids([...first, ...second]).sort());
  });

  test("after a crash between publish and mark, the event is published again with the same id", async () => {
    const flaky = failFirstMark(db);
    const event = taskEvent(taskId(1), 1);
    await commit(db, [event]);
    const spy = spyOnPublish(pubsub.dapr);
    const relay = createOutboxRelay({ db: flaky, dapr: spy.dapr, pubsub: PUBSUB, logger: createMemoryLogger(), pollIntervalMs: 20, initialBackoffMs: 10 });
    relays.push(relay);
    relay.start();

    await waitFor(() => pubsub.received.length === 2, { message: "the event twice (at least once)" });
    expect(ids(pubsub.received)).toEqual([event.id, event.id]);
    await drained(relay, db);
  });

  test("stop() lets the batch in flight finish, then publishes nothing more", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const spy = spyOnPublish(pubsub.dapr, { before: (call) => (call === spy.calls[0] ? held : Promise.resolve()) });
    const batch = [taskEvent(taskId(1), 1), taskEvent(taskId(2), 1), taskEvent(taskId(3), 1)];
    await commit(db, batch);
    const relay = startRelay(spy.dapr);
    await waitFor(() => spy.calls.length === 1, { message: "the first publish to start" });

    const stopped = relay.stop();
    release();
    await stopped;
    const rows = await db.query("SELECT published_at IS NOT NULL AS published FROM outbox ORDER BY seq");
    expect(rows).toEqual([{ published: true }, { published: true }, { published: true }]);

    await commit(db, [taskEvent(taskId(4), 1)]);
    relay.notify();
    await expectUnchanged(() => spy.calls.length, 150, "publishes after stop()");
  });
});

/** A database whose first "mark published" fails, as if the process died right after publishing. */
function failFirstMark(db: Database): Database {
  let failed = false;
  const guard = (target: Queryable): Queryable => ({
    query(sql, params) {
      if (!failed && sql.includes("SET published_at")) {
        failed = true;
        return Promise.reject(new Error("connection lost"));
      }
      return target.query(sql, params);
    },
  });
  const direct = guard(db);
  return {
    kind: db.kind,
    query: direct.query,
    transaction: (work) => db.transaction((tx) => work(guard(tx))),
    close: () => db.close(),
  };
}

describe.skipIf(!testDatabaseUrl())("two outbox relays on one PostgreSQL database", () => {
  let pubsub: PubSubFixture;
  const cleanups: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    pubsub = await startPubSub();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await pubsub.stop();
  });

  test("never publish at the same time and together publish every row, in order", async () => {
    const scratch = await createScratchPostgres(testDatabaseUrl() ?? "");
    cleanups.push(scratch.drop);
    const replicas = [openPostgresDatabase(scratch.url), openPostgresDatabase(scratch.url)];
    cleanups.push(async () => void (await Promise.all(replicas.map((db) => db.close()))));
    await migrate(replicas[0]!);

    // Publishing yields to the event loop several times, so overlapping publishes would show.
    const spy = spyOnPublish(pubsub.dapr, { before: () => new Promise((resolve) => setImmediate(resolve)) });
    const relays = replicas.map((db) =>
      createOutboxRelay({ db, dapr: spy.dapr, pubsub: PUBSUB, logger: createMemoryLogger(), batchSize: 3, pollIntervalMs: 5 }),
    );
    cleanups.push(async () => void (await Promise.all(relays.map((relay) => relay.stop()))));
    for (const relay of relays) relay.start();

    const events = Array.from({ length: 30 }, (_, index) => taskEvent(taskId(index % 4), Math.floor(index / 4) + 1));
    for (const [index, event] of events.entries()) {
      const writer = replicas[index % 2]!;
      await commit(writer, [event]);
      relays[index % 2]!.notify();
    }

    await waitFor(() => new Set(ids(pubsub.received)).size === events.length, {
      message: "every event delivered",
      describe: () => `${new Set(ids(pubsub.received)).size} distinct`,
    });
    expect(spy.maxConcurrent()).toBe(1);
    const firstPublishes = [...new Set(spy.calls.map((call) => call.eventId))];
    expect(firstPublishes).toEqual(ids(events));
  });
});
