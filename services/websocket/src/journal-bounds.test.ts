import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { buildEvent, TASK_EVENTS_TOPIC, TASK_UPDATED } from "@todo/common";
import { blankTask } from "@todo/testkit";
import { closeAll, openTab, type BrowserTab } from "@todo/testkit/browser-tab";
import { startWebsocketOnly, type WebsocketOnly } from "./websocket.fixture.ts";

const HOUR = 60 * 60 * 1000;
let clock = Date.now();
let host: WebsocketOnly;
const tabs = new Set<BrowserTab>();
beforeAll(async () => {
  host = await startWebsocketOnly({
    tuning: { journal: { maxEvents: 5, maxAgeMs: HOUR, maxBytes: 1024 * 1024 } },
    now: () => new Date(clock),
  });
});
afterEach(() => closeAll(tabs));
afterAll(() => host?.stop());

async function newUser() {
  const userId = Bun.randomUUIDv7();
  return { userId, token: await host.tokens.issue({ id: userId, email: `${userId}@example.test` }) };
}

function changeOf(userId: string, taskId: string, version: number, time = new Date(clock)) {
  const task = blankTask({ id: taskId, userId, version, title: `version ${version}` });
  return buildEvent(TASK_UPDATED, { source: "chat-api", time, data: { userId, version, task, changed: ["title"] } });
}

/** `count` changes of one task, published as chat-api does; resolves with their event ids once a live tab saw them all. */
async function publishChanges(token: string, userId: string, count: number): Promise<string[]> {
  const watcher = await openTab(host.url, { token }, tabs);
  const taskId = Bun.randomUUIDv7();
  const ids: string[] = [];
  for (let version = 1; version <= count; version++) {
    const event = changeOf(userId, taskId, version);
    ids.push(event.id);
    await host.publish(TASK_EVENTS_TOPIC, event);
  }
  await watcher.until((frames) => frames.length === count, `${count} live frames`);
  await watcher.close();
  return ids;
}

describe("the replay journal is bounded", () => {
  test("past the count limit, a replay from an event that left the journal is a reset; from one still held, the rest", async () => {
    const { userId, token } = await newUser();
    const ids = await publishChanges(token, userId, 8);

    const tooOld = await openTab(host.url, { token, after: ids[2] }, tabs);
    await tooOld.until((frames) => frames[0], "the first frame");
    expect(tooOld.frames[0]).toMatchObject({ type: "todo.sync.reset.v1", data: { userId } });

    const held = await openTab(host.url, { token, after: ids[3] }, tabs);
    await held.until((frames) => frames.length === 4, "the four newer events");
    expect(held.frames.map((frame) => frame.id)).toEqual(ids.slice(4));
  });

  test("past the age limit, a replay is a reset", async () => {
    const { userId, token } = await newUser();
    const ids = await publishChanges(token, userId, 2);
    const fresh = await openTab(host.url, { token, after: ids[0] }, tabs);
    await fresh.until((frames) => frames.length === 1, "the newer event");
    expect(fresh.frames[0]!.id).toBe(ids[1]!);

    clock += HOUR;
    const aged = await openTab(host.url, { token, after: ids[0] }, tabs);
    await aged.until((frames) => frames[0], "the first frame");
    expect(aged.frames[0]!.type).toBe("todo.sync.reset.v1");
  });

  test("an event older than the age limit is history: a consumer catching up does not push it", async () => {
    const { userId, token } = await newUser();
    const tab = await openTab(host.url, { token }, tabs);
    const taskId = Bun.randomUUIDv7();
    const old = changeOf(userId, taskId, 1, new Date(clock - 2 * HOUR));
    const fresh = changeOf(userId, taskId, 2);
    // One task, one partition: the old event is delivered first.
    await host.publish(TASK_EVENTS_TOPIC, old);
    await host.publish(TASK_EVENTS_TOPIC, fresh);
    await tab.until((frames) => frames.some((frame) => frame.id === fresh.id), "the fresh event");
    expect(tab.frames.map((frame) => frame.id)).toEqual([fresh.id]);
  });
});
