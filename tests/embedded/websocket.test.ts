import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import {
  buildEvent,
  createTokenService,
  deterministicEventId,
  REMINDER_DELIVERED,
  REMINDER_EVENTS_TOPIC,
  REMINDER_TRIGGERED,
  type Task,
} from "@todo/common";
import { expectUnchanged, waitFor } from "@todo/testkit";
import { pendingKey } from "@todo/websocket/pending-reminders";
import { closeAll, handshakeStatus, openTab, type Frame, type BrowserTab, type TabAuth } from "@todo/testkit/browser-tab";
import { startTestHost, type TestHost, type TestUser } from "@todo/testkit/system";

let system: TestHost;
const tabs = new Set<BrowserTab>();
// Starting the whole system (PGlite migrations included) takes seconds.
beforeAll(async () => {
  system = await startTestHost();
}, 30_000);
afterEach(() => closeAll(tabs));
afterAll(() => system?.stop());

const open = (options: TabAuth) => openTab(system.url, options, tabs);
const about = (frames: Frame[], taskId: string) => frames.filter((frame) => frame.subject === taskId);
const typesAbout = (tab: BrowserTab, taskId: string) => about(tab.frames, taskId).map((frame) => frame.type);
const updatesOf = (frames: Frame[], taskId: string) => about(frames, taskId).filter((frame) => frame.type === "todo.task.updated.v1");

/** What notification publishes when a reminder fires. */
function reminderFired(user: TestUser, task: Task) {
  const remindAt = new Date(Date.now() - 1000);
  const reminderId = `${task.id}-${remindAt.getTime()}`;
  return buildEvent(REMINDER_TRIGGERED, {
    source: "notification",
    id: deterministicEventId(REMINDER_TRIGGERED, reminderId),
    data: {
      userId: user.userId,
      taskId: task.id,
      version: task.version,
      reminderId,
      remindAt: remindAt.toISOString(),
      firedAt: new Date().toISOString(),
      task,
    },
  });
}

describe("live sync over /ws", () => {
  test("create, update, complete and delete reach both tabs of the user and no tab of another user", async () => {
    const alice = await system.signup("alice");
    const bob = await system.signup("bob");
    const [first, second, bobs] = await Promise.all([
      open({ token: alice.token }),
      open({ token: alice.token, via: "protocol" }),
      open({ token: bob.token }),
    ]);
    expect(second.protocol()).toBe("todo.v1");

    const task = await system.createTask(alice, { title: "Water the plants" });
    await system.updateTask(alice, task.id, { title: "Water the plants twice" });
    await system.completeTask(alice, task.id);
    await system.deleteTask(alice, task.id);

    const lifecycle = ["todo.task.created.v1", "todo.task.updated.v1", "todo.task.completed.v1", "todo.task.deleted.v1"];
    for (const tab of [first, second]) await tab.until(() => typesAbout(tab, task.id).length === 4, "the four changes");
    expect(typesAbout(first, task.id)).toEqual(lifecycle);
    expect(about(second.frames, task.id).map((frame) => frame.id)).toEqual(about(first.frames, task.id).map((frame) => frame.id));
    const created = first.frames[0]!;
    expect(created).toMatchObject({ type: "todo.task.created.v1", source: "chat-api", subject: task.id, data: { userId: alice.userId } });
    expect(typeof created.time).toBe("string");

    // Bob's own change travels the same way, so once it arrived anything misrouted would have too.
    const bobsTask = await system.createTask(bob, { title: "Bob's task" });
    await bobs.until((frames) => about(frames, bobsTask.id).length === 1, "bob's own event");
    expect(bobs.frames.every((frame) => frame.data.userId === bob.userId)).toBe(true);
  });

  test("a handshake without a valid token is refused with 401 and no socket opens", async () => {
    const user = await system.signup("mallory");
    const tampered = user.token.slice(0, -4) + (user.token.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect((await handshakeStatus(system.url, "")).status).toBe(401);
    expect((await handshakeStatus(system.url, `?token=${tampered}`)).status).toBe(401);
    expect((await handshakeStatus(system.url, "", { "sec-websocket-protocol": `todo.v1, bearer.${tampered}` })).status).toBe(401);
    expect((await handshakeStatus(system.url, "?token=not-a-jwt")).status).toBe(401);
    await expect(open({ token: tampered })).rejects.toThrow(/handshake to \/ws failed/);
  });

  test("a validly signed token of an account that does not exist is refused with 401", async () => {
    const { "jwt-secret": secret } = await system.websocketState.getSecret("secretstore", "jwt-secret");
    const ghost = await createTokenService(secret!).issue({ id: Bun.randomUUIDv7(), email: "ghost@example.test" });
    expect((await handshakeStatus(system.url, `?token=${ghost}`)).status).toBe(401);
    await expect(open({ token: ghost })).rejects.toThrow(/handshake to \/ws failed/);
    // The same key signs the tokens of real accounts, which get in.
    const user = await system.signup("real");
    await open({ token: user.token });
  });

  test("a tab that reconnects during a burst of 100 changes gets every change once, in order", async () => {
    const user = await system.signup("burst");
    const before = await open({ token: user.token });
    const task = await system.createTask(user, { title: "change 0" });
    await before.until((frames) => about(frames, task.id).length === 1, "the created event");

    let done = 0;
    const burst = (async () => {
      for (let i = 1; i <= 100; i++) {
        await system.updateTask(user, task.id, { title: `change ${i}` });
        done = i;
      }
    })();
    await before.until((frames) => updatesOf(frames, task.id).length >= 20, "the first 20 changes");
    await before.close();
    const lastSeen = before.frames.at(-1)!.id;
    await waitFor(() => done >= 60, { message: "the burst to go on without the tab" });

    const after = await open({ token: user.token, after: lastSeen });
    await burst;
    await after.until((frames) => updatesOf(frames, task.id).some((frame) => frame.data.task?.version === 101), "the last change", 10_000);

    const versions = [...updatesOf(before.frames, task.id), ...updatesOf(after.frames, task.id)].map((frame) => frame.data.task?.version);
    expect(versions).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
    expect(after.frames.some((frame) => frame.type === "todo.sync.reset.v1")).toBe(false);
  });

  test("reconnecting after an id the journal does not hold starts with a sync reset, then live events", async () => {
    const user = await system.signup("reset");
    const tab = await open({ token: user.token, after: crypto.randomUUID() });
    const reset = await tab.until((frames) => frames[0], "the first frame");
    expect(reset).toMatchObject({ type: "todo.sync.reset.v1", source: "websocket", data: { userId: user.userId } });
    expect(typeof reset.data.reason).toBe("string");

    const task = await system.createTask(user, { title: "after the reset" });
    await tab.until((frames) => about(frames, task.id).length === 1, "the live event after the reset");
    expect(tab.frames.map((frame) => frame.type)).toEqual(["todo.sync.reset.v1", "todo.task.created.v1"]);
  });

  test("a reminder that fires while the user has no tab is shown on the next connection, then reported delivered", async () => {
    const user = await system.signup("offline");
    const task = await system.createTask(user, { title: "Call the dentist" });
    const fired = reminderFired(user, task);
    await system.publishAs("notification", REMINDER_EVENTS_TOPIC, fired);
    await waitFor(async () => (await system.websocketState.getState("statestore", pendingKey(user.userId)))?.value, {
      message: "the reminder queued for the offline user",
    });

    const tab = await open({ token: user.token });
    const deliveredId = deterministicEventId(REMINDER_DELIVERED, fired.data.reminderId);
    await tab.until((frames) => frames.some((frame) => frame.id === deliveredId), "the delivered event");
    const reminderFrames = tab.frames.filter((frame) => frame.data.reminderId === fired.data.reminderId);
    expect(reminderFrames.map((frame) => [frame.type, frame.id])).toEqual([
      [REMINDER_TRIGGERED, fired.id],
      [REMINDER_DELIVERED, deliveredId],
    ]);
    expect(reminderFrames[1]!.data).toMatchObject({ userId: user.userId, taskId: task.id });
    await waitFor(async () => (await system.websocketState.getState("statestore", pendingKey(user.userId))) === undefined, {
      message: "the queue emptied",
    });
  });

  test("a queued reminder that the replay already carries is shown once", async () => {
    const user = await system.signup("replayed");
    const before = await open({ token: user.token });
    const task = await system.createTask(user, { title: "Renew passport" });
    await before.until((frames) => about(frames, task.id).length === 1, "the created event");
    await before.close();

    const fired = reminderFired(user, task);
    await system.publishAs("notification", REMINDER_EVENTS_TOPIC, fired);
    await waitFor(async () => (await system.websocketState.getState("statestore", pendingKey(user.userId)))?.value, { message: "the reminder queued" });

    const after = await open({ token: user.token, after: before.frames.at(-1)!.id });
    const deliveredId = deterministicEventId(REMINDER_DELIVERED, fired.data.reminderId);
    await after.until((frames) => frames.some((frame) => frame.id === deliveredId), "the delivered event");
    expect(after.frames.filter((frame) => frame.id === fired.id)).toHaveLength(1);
  });

  test("a reminder that fires while tabs are open is shown live and reported delivered once", async () => {
    const user = await system.signup("online");
    const task = await system.createTask(user, { title: "Take out the bins" });
    const tabsOfUser = [await open({ token: user.token }), await open({ token: user.token })];
    const fired = reminderFired(user, task);
    await system.publishAs("notification", REMINDER_EVENTS_TOPIC, fired);

    const deliveredId = deterministicEventId(REMINDER_DELIVERED, fired.data.reminderId);
    for (const tab of tabsOfUser) {
      await tab.until((frames) => frames.some((frame) => frame.id === deliveredId), "the delivered event");
      expect(tab.frames.filter((frame) => frame.id === fired.id)).toHaveLength(1);
    }
    const deliveredFrames = () => tabsOfUser.map((tab) => tab.frames.filter((frame) => frame.type === REMINDER_DELIVERED).length);
    await expectUnchanged(deliveredFrames, 300, "a second delivered event");
    expect(deliveredFrames()).toEqual([1, 1]);
    expect(await system.websocketState.getState("statestore", pendingKey(user.userId))).toBeUndefined();
  });
});
