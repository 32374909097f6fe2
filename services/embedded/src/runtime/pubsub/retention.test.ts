import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryLogger } from "@todo/common";
import { openRuntimeDb } from "../db.ts";
import { createBroker } from "./broker.ts";
import { createMessageLog } from "./message-log.ts";
import { parseSubscriptions } from "./subscriptions.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

test("retention deletes old messages every consumer acknowledged, and keeps the rest", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pubsub-retention-"));
  dirs.push(dir);
  const db = openRuntimeDb(dir);
  const day = 24 * 60 * 60 * 1000;
  let clock = Date.parse("2026-01-01T00:00:00Z");
  const logger = createMemoryLogger();
  const broker = createBroker({
    db,
    logger,
    pubsubNames: ["pubsub"],
    channel: () => undefined,
    retry: { initialRetryMs: 5, maxRetryIntervalMs: 5, maxRetries: 0 },
    partitions: 1,
    retentionMs: 7 * day,
    now: () => clock,
  });
  const subs = (appId: string) => parseSubscriptions(appId, [{ pubsubname: "pubsub", topic: "t", route: "/e" }], { pubsubNames: ["pubsub"], logger });
  broker.setSubscriptions("audit", subs("audit"));
  broker.setSubscriptions("websocket", subs("websocket"));
  const event = (n: number) => ({
    pubsub: "pubsub",
    topic: "t",
    payload: new TextEncoder().encode(JSON.stringify({ id: `e${n}` })),
    key: "k",
    eventId: `e${n}`,
    metadata: {},
  });
  broker.publish([event(1), event(2)]);
  const log = createMessageLog(db);
  const [first, second] = [log.next("pubsub", "t", 0, 0), log.next("pubsub", "t", 0, 1)];
  // audit acknowledged both, websocket only the first.
  log.ack({ consumer: "audit", pubsub: "pubsub", topic: "t", partition: 0 }, second?.seq ?? 0);
  log.ack({ consumer: "websocket", pubsub: "pubsub", topic: "t", partition: 0 }, first?.seq ?? 0);

  clock += 6 * day;
  expect(broker.sweep()).toBe(0); // acknowledged, but not old enough
  clock += 2 * day;
  expect(broker.sweep()).toBe(1);
  expect(log.count("pubsub", "t")).toBe(1);
  expect(log.next("pubsub", "t", 0, 0)?.seq).toBe(second?.seq ?? -1);
  await broker.stop();
  db.close();
});
