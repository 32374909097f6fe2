import { afterAll, afterEach, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { waitFor } from "@todo/testkit";
import { apiClient, type ApiClient } from "./harness/api-client.ts";
import { aboutTask, closeAll, handshakeStatus, openTab, type BrowserTab, type Frame } from "@todo/testkit/browser-tab";
import { startSystem, type SystemUnderTest } from "./harness/system-under-test.ts";

/**
 * Live sync through the whole system: REST writes on chat-api become events
 * that the websocket service pushes to the user's open tabs, and a tab that
 * reconnects catches up from where it was.
 */
setDefaultTimeout(60_000);

let system: SystemUnderTest;
let api: ApiClient;
const tabs = new Set<BrowserTab>();

beforeAll(async () => {
  system = await startSystem();
  api = apiClient(system.urls);
});
afterEach(() => closeAll(tabs));
afterAll(() => system?.stop());

const TASK_TYPES = ["todo.task.created.v1", "todo.task.updated.v1", "todo.task.completed.v1", "todo.task.deleted.v1"];
const typesOf = (frames: Frame[]) => frames.map((frame) => frame.type);

describe("live sync over WebSockets", () => {
  test("create, update, complete and delete reach both open tabs of the user and not another user's tab", async () => {
    const alice = await api.signup("alice");
    const bob = await api.signup("bob");
    // One tab authenticates by query string, the other by subprotocol, as browsers may.
    const first = await openTab(system.urls.ws, { token: alice.token, via: "query" }, tabs);
    const second = await openTab(system.urls.ws, { token: alice.token, via: "protocol" }, tabs);
    const bobsTab = await openTab(system.urls.ws, { token: bob.token }, tabs);
    expect(second.protocol()).toBe("todo.v1");

    const task = await api.createTask(alice, { title: "Water the plants" });
    await api.updateTask(alice, task.id, { title: "Water the plants twice" });
    await api.completeTask(alice, task.id);
    await api.deleteTask(alice, task.id);

    for (const tab of [first, second]) {
      await tab.until((frames) => aboutTask(frames, task.id).length >= 4, "four events about alice's task");
      const received = aboutTask(tab.frames, task.id);
      expect(typesOf(received)).toEqual(TASK_TYPES);
      expect(received.map((frame) => frame.data.task?.version)).toEqual([1, 2, 3, 4]);
      expect(received[1]!.data.task?.title).toBe("Water the plants twice");
      expect(new Set(received.map((frame) => frame.id)).size).toBe(4);
      expect(tab.frames.every((frame) => frame.data.userId === alice.userId)).toBe(true);
    }
    // Both tabs saw the same events (same CloudEvent ids).
    expect(aboutTask(first.frames, task.id).map((f) => f.id)).toEqual(aboutTask(second.frames, task.id).map((f) => f.id));

    // Bob's own change reaches his tab after alice's four reached hers: had hers been pushed to him, he would have them.
    const bobsTask = await api.createTask(bob, { title: "Bob's own task" });
    await bobsTab.nextFrame((frame) => frame.data.task?.id === bobsTask.id, "bob's own created event");
    expect(aboutTask(bobsTab.frames, task.id)).toEqual([]);
    expect(bobsTab.frames.every((frame) => frame.data.userId === bob.userId)).toBe(true);
  });

  test("a handshake without a valid token is refused with 401 and no upgrade", async () => {
    const handshake = (query: string, protocol?: string) =>
      handshakeStatus(system.urls.ws, query, protocol ? { "sec-websocket-protocol": protocol } : {});
    expect((await handshake("")).status).toBe(401);
    expect((await handshake("?token=not-a-jwt")).status).toBe(401);
    expect((await handshake("", "todo.v1, bearer.not-a-jwt")).status).toBe(401);
    await expect(openTab(system.urls.ws, { token: "not-a-jwt" }, tabs)).rejects.toThrow("handshake");
  });

  test("a tab that reconnects during a burst of 100 changes replays all of them in order, without duplicates", async () => {
    const carol = await api.signup("carol");
    const task = await api.createTask(carol, { title: "change 0" });
    const before = await openTab(system.urls.ws, { token: carol.token }, tabs);
    await api.updateTask(carol, task.id, { title: "warm-up" });
    await before.nextFrame((frame) => frame.data.task?.title === "warm-up", "the warm-up change");

    let written = 0;
    const burst = (async () => {
      for (let n = 1; n <= 100; n++) {
        await api.updateTask(carol, task.id, { title: `change ${n}` });
        written = n;
      }
    })();
    // Disconnect mid-burst, and reconnect while changes are still being written.
    await before.until((frames) => frames.filter((f) => f.data.task?.title?.startsWith("change ")).length >= 15, "15 changes live");
    await before.close();
    const lastSeen = before.frames.at(-1)!;
    const seenBefore = changesIn(before.frames);
    await waitFor(() => written >= 50, { message: "50 changes written", timeoutMs: 30_000 });

    const writtenAtReconnect = written;
    const after = await openTab(system.urls.ws, { token: carol.token, after: lastSeen.id }, tabs);
    await burst;
    await after.until((frames) => changesIn(frames).includes(100), "change 100 after reconnecting", 15_000);

    expect(after.frames.some((frame) => frame.type === "todo.sync.reset.v1")).toBe(false);
    const seenAfter = changesIn(after.frames);
    // The reconnect really had something to catch up on.
    expect(writtenAtReconnect).toBeGreaterThan(seenBefore.at(-1)!);
    console.log(`replay: ${seenBefore.length} changes live before the disconnect, ${writtenAtReconnect} written at the reconnect, ${seenAfter.length} after it`);
    expect([...seenBefore, ...seenAfter]).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const ids = [...before.frames, ...after.frames].map((frame) => frame.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Versions follow the task's history one by one: nothing skipped, nothing reordered.
    const versions = [...before.frames, ...after.frames].filter((f) => f.data.task?.id === task.id).map((f) => f.data.task!.version);
    expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => versions[0]! + i));
  });

  test("a reconnect after an unknown event id starts with todo.sync.reset.v1, then live events follow", async () => {
    const dave = await api.signup("dave");
    const tab = await openTab(system.urls.ws, { token: dave.token, after: "0190f3a0-0000-7000-8000-00000000dead" }, tabs);
    const reset = await tab.nextFrame((frame) => frame.type === "todo.sync.reset.v1", "the reset frame");
    expect(tab.frames[0]).toBe(reset);
    expect(reset.data.userId).toBe(dave.userId);
    expect(typeof reset.data.reason).toBe("string");

    const task = await api.createTask(dave, { title: "after the reset" });
    await tab.nextFrame((frame) => frame.data.task?.id === task.id, "the live event after the reset");
  });
});

/** The burst's change numbers, in the order the tab received them. */
function changesIn(frames: Frame[]): number[] {
  return frames.flatMap((frame) => {
    const match = frame.type === "todo.task.updated.v1" ? frame.data.task?.title.match(/^change (\d+)$/) : null;
    return match ? [Number(match[1])] : [];
  });
}
