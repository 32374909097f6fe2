import { afterAll, afterEach, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { waitFor } from "@todo/testkit";
import { apiClient, type ApiClient, type TestUser } from "./harness/api-client.ts";
import { closeAll, openTab, type BrowserTab } from "@todo/testkit/browser-tab";
import { caughtUp } from "./harness/delivery-progress.ts";
import { startSystem, type SystemUnderTest } from "./harness/system-under-test.ts";

/**
 * Reminders end to end: chat-api schedules, notification fires the Dapr job
 * at remindAt, websocket pushes the triggered reminder to the user's tabs or
 * keeps it until the user comes back, and audit records the delivery.
 */
setDefaultTimeout(60_000);

// The bound for a reminder in the embedded runtime (the target is 1 s).
const LATENESS_BOUND_MS = 5000;

let system: SystemUnderTest;
let api: ApiClient;
const tabs = new Set<BrowserTab>();
/** Everyone who uses this system, so "every event so far" can be counted from their audit trails. */
const users: TestUser[] = [];
const signup = async (label: string) => {
  const user = await api.signup(label);
  users.push(user);
  return user;
};

beforeAll(async () => {
  system = await startSystem();
  api = apiClient(system.urls);
});
afterEach(() => closeAll(tabs));
afterAll(() => system?.stop());

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
const reminderIdOf = (taskId: string, remindAt: string) => `${taskId}-${Date.parse(remindAt)}`;

describe("reminders", () => {
  test("a reminder set 2 s ahead reaches the user's open tab on time", async () => {
    const erin = await signup("erin");
    const tab = await openTab(system.urls.ws, { token: erin.token }, tabs);
    const remindAt = inSeconds(2);
    const task = await api.createTask(erin, { title: "Stretch", remindAt });
    const reminderId = reminderIdOf(task.id, task.remindAt!);

    const triggered = await tab.nextFrame(
      (frame) => frame.type === "todo.reminder.triggered.v1" && frame.data.reminderId === reminderId,
      "the triggered reminder",
      2000 + LATENESS_BOUND_MS + 2000,
    );
    const lateness = triggered.receivedAt - Date.parse(task.remindAt!);
    console.log(`reminder lateness on the WebSocket: ${lateness} ms (fired ${Date.parse(String(triggered.data.firedAt)) - Date.parse(task.remindAt!)} ms after remindAt)`);
    expect(lateness).toBeLessThanOrEqual(LATENESS_BOUND_MS);
    // Never early: the job fires at remindAt, not before.
    expect(Date.parse(String(triggered.data.firedAt))).toBeGreaterThanOrEqual(Date.parse(task.remindAt!));
    expect(triggered.data).toMatchObject({ userId: erin.userId, taskId: task.id, remindAt: task.remindAt });
    expect(triggered.data.task?.title).toBe("Stretch");

    // Pushed live, so it counts as delivered once.
    const delivered = await waitFor(
      async () => {
        const items = await api.auditTrail(erin, { taskId: task.id, type: "todo.reminder.delivered.v1" });
        return items.length > 0 && items;
      },
      { message: "todo.reminder.delivered.v1 in the audit trail" },
    );
    expect(delivered.map((item) => item.event.data.reminderId)).toEqual([reminderId]);
    expect(tab.frames.filter((frame) => frame.type === "todo.reminder.triggered.v1")).toHaveLength(1);
  });

  test("a reminder that fires while no tab is open arrives on the next connection, then is recorded as delivered", async () => {
    const frank = await signup("frank");
    const earlier = await openTab(system.urls.ws, { token: frank.token }, tabs);
    const task = await api.createTask(frank, { title: "Call the dentist", remindAt: inSeconds(2) });
    const reminderId = reminderIdOf(task.id, task.remindAt!);
    await earlier.nextFrame((frame) => frame.type === "todo.reminder.scheduled.v1" && frame.data.reminderId === reminderId, "the scheduled reminder");
    await earlier.close();

    // The reminder fires with nobody connected (the audit trail shows it fired).
    await waitFor(async () => (await api.auditTrail(frank, { taskId: task.id, type: "todo.reminder.triggered.v1" })).length === 1, {
      message: "todo.reminder.triggered.v1 in the audit trail",
      timeoutMs: 2000 + LATENESS_BOUND_MS + 2000,
    });
    // ... and the websocket service has taken it in (every reminder event so far reached it), so only its queue can bring it.
    await waitFor(() => caughtUp(api, users, "websocket", "reminder-events"), { message: "websocket caught up on reminder-events" });
    expect((await api.auditTrail(frank, { taskId: task.id, type: "todo.reminder.delivered.v1" })).length).toBe(0);

    // A fresh page load (no replay cursor): only the offline queue can bring it.
    const later = await openTab(system.urls.ws, { token: frank.token }, tabs);
    const triggered = await later.nextFrame(
      (frame) => frame.type === "todo.reminder.triggered.v1" && frame.data.reminderId === reminderId,
      "the queued reminder on reconnect",
    );
    expect(triggered.data).toMatchObject({ userId: frank.userId, taskId: task.id });

    const delivered = await waitFor(
      async () => {
        const items = await api.auditTrail(frank, { taskId: task.id, type: "todo.reminder.delivered.v1" });
        return items.length > 0 && items;
      },
      { message: "todo.reminder.delivered.v1 in the audit trail" },
    );
    expect(delivered.map((item) => item.event.data.reminderId)).toEqual([reminderId]);

    // Delivered means dequeued: the next tab does not get it again (a live change marks where its queue would have been).
    const third = await openTab(system.urls.ws, { token: frank.token }, tabs);
    await api.updateTask(frank, task.id, { title: "Call the dentist (done soon)" });
    await third.nextFrame((frame) => frame.type === "todo.task.updated.v1" && frame.data.task?.id === task.id, "the live change");
    expect(third.frames.filter((frame) => frame.type === "todo.reminder.triggered.v1")).toEqual([]);
    expect(later.frames.filter((frame) => frame.type === "todo.reminder.triggered.v1")).toHaveLength(1);
  });
});
