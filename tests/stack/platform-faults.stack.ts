/**
 * More faults on the real stack (bun run test:stack; needs bun run stack:up),
 * each under the same steady stream and with the same checks as
 * faults.stack.ts (harness/fault-run.ts): nothing lost, nothing audited
 * twice, every reminder fired once, every tab showing the server's state.
 *   (e) the Dapr Scheduler killed with SIGKILL, kept down until reminders
 *       confirmed before the kill are due, restarted: they fire once after
 *       it, and every daprd schedules and receives jobs again (dapr/dapr#10337
 *       reports daprd never recovering after a Scheduler restart);
 *   (f) Redis (the Dapr state store) killed and restarted;
 *   (g) PostgreSQL killed (postmaster and backends) and restarted; while it
 *       is down a write answers 503 database_unavailable;
 *   (h) the websocket service killed with the tabs open: they reconnect with
 *       `after` and the replay brings what they missed, with no sync reset;
 *   (i) audit answering its deliveries slowly for 30 s (the delivery gate
 *       in front of it holds each answer until the window ends, so its
 *       partitions stay held): the other consumers keep up meanwhile.
 * The tabs here reconnect as the web page does (harness/reconnecting-tab.ts).
 * Recovery times go to tests/stack/results/platform-recovery.json.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { waitFor } from "@todo/testkit";
import { apiClient, type ApiClient, type TestUser } from "../e2e/harness/api-client.ts";
import { daprdHealthy } from "./daprd.ts";
import { postgresReady, redisReady, removeStalePostmasterLocks, schedulerReady } from "./infra.ts";
import { PORTS, SERVICES, servicePorts, type StackState } from "./layout.ts";
import { processOf, readStack, restartProcess, serviceReady } from "./stack.ts";
import { createFaultRun, RECOVERY_TIMEOUT_MS } from "./harness/fault-run.ts";
import { openReconnectingTab, type ReconnectingTab } from "./harness/reconnecting-tab.ts";
import { killHard, killTreeHard } from "./processes.ts";

setDefaultTimeout(300_000);

const SLOW_WINDOW_MS = 30_000;
/** A change made while audit is slow reaches its owner's tab within this (websocket does not wait for audit). */
const UNAFFECTED_LAG_MS = 10_000;

let stack: StackState;
let api: ApiClient;
const users: TestUser[] = [];
const tabOf = new Map<TestUser, ReconnectingTab>();
let run: ReturnType<typeof createFaultRun>;

beforeAll(async () => {
  const state = readStack();
  if (!state) throw new Error("the fault tests need the real stack: bun run stack:up (or bun run test:stack)");
  stack = state;
  api = apiClient({ api: stack.urls["chat-api"], audit: stack.urls.audit, ws: stack.urls.websocket, metrics: () => stack.urls["chat-api"] });
  for (const label of ["ada", "grace", "linus"]) {
    const user = await api.signup(`platform-${label}`);
    users.push(user);
    tabOf.set(user, await openReconnectingTab(stack.urls.websocket, user.token));
  }
  run = createFaultRun({ api, adminToken: stack.adminToken, users, tabOf });
});

afterAll(async () => {
  await Promise.all([...tabOf.values()].map((tab) => tab.close()));
  run?.report("platform-recovery.json");
});

/** A reminder set now, `leadMs` ahead, fires once: its trigger is in the owner's audit trail. */
async function reminderFires(user: TestUser, label: string, leadMs = 2_000): Promise<void> {
  const task = await api.createTask(user, { title: `reminder probe ${label}`, remindAt: new Date(Date.now() + leadMs).toISOString() });
  await waitFor(async () => (await api.auditTrail(user, { type: "todo.reminder.triggered.v1" })).some((item) => item.event.data.taskId === task.id), {
    timeoutMs: RECOVERY_TIMEOUT_MS,
    intervalMs: 500,
    message: `the reminder set after ${label} to fire`,
  });
}

const gate = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${PORTS.auditGate}${path}`, init).then((response) => response.json());

describe("platform faults under a steady stream of changes", () => {
  test("(e) the Dapr Scheduler killed with SIGKILL and restarted: reminders due during the outage fire once after it", async () => {
    let dueDuringOutage = 0;
    await underLoad(
      "(e) Dapr Scheduler",
      async (stream) => {
        const killedAt = Date.now();
        await killHard(processOf(stack, "scheduler").pid);
        // Down until a reminder the server confirmed is due (by a second) with no Scheduler to fire it.
        await waitFor(() => stream.reminders.some((reminder) => Date.parse(reminder.remindAt) > killedAt && Date.parse(reminder.remindAt) + 1_000 < Date.now()), {
          timeoutMs: 30_000,
          message: "a confirmed reminder due while the Scheduler is down",
        });
        const restartingAt = Date.now();
        dueDuringOutage = stream.reminders.filter((reminder) => Date.parse(reminder.remindAt) > killedAt && Date.parse(reminder.remindAt) < restartingAt).length;
        await restartProcess(stack, "scheduler", schedulerReady);
      },
      {
        // dapr/dapr#10337: a daprd that never reconnects stays unhealthy, or schedules jobs that never reach its app.
        after: async () => {
          for (const service of SERVICES) {
            await waitFor(() => daprdHealthy(servicePorts(service).daprHttp), { timeoutMs: 30_000, message: `${service}'s daprd healthy after the Scheduler restart` });
          }
          await reminderFires(users[1]!, "the Scheduler restart");
        },
      },
    );
    expect(dueDuringOutage).toBeGreaterThan(0);
  });

  test("(f) Redis, the Dapr state store, killed with SIGKILL and restarted", async () => {
    await underLoad("(f) Redis", async () => {
      await killHard(processOf(stack, "redis").pid);
      await restartProcess(stack, "redis", redisReady);
    });
  });

  test("(g) PostgreSQL killed with SIGKILL (postmaster and backends) and restarted", async () => {
    if (!stack.ownsDatabaseServer) throw new Error("the stack runs on STACK_DATABASE_URL's server, which this test may not kill: start it without STACK_DATABASE_URL");
    await underLoad("(g) PostgreSQL", async () => {
      await killTreeHard(processOf(stack, "postgres").pid);
      // While it is down a write is refused clearly (503, retry shortly), not with a 500.
      const refused = await fetch(`${stack.urls["chat-api"]}/api/tasks`, {
        method: "POST",
        headers: { authorization: `Bearer ${users[0]!.token}`, "content-type": "application/json" },
        body: JSON.stringify({ title: "while PostgreSQL is down" }),
      });
      expect({ status: refused.status, code: ((await refused.json()) as { error?: { code?: string } }).error?.code }).toEqual({
        status: 503,
        code: "database_unavailable",
      });
      expect(refused.headers.get("retry-after")).toBe("5");
      removeStalePostmasterLocks(stack.dir);
      await restartProcess(stack, "postgres", postgresReady);
    });
  });

  test("(h) the websocket service killed with tabs open: they reconnect and the replay brings what they missed", async () => {
    const tabs = users.map((user) => tabOf.get(user)!);
    const reconnectsBefore = tabs.map((tab) => tab.reconnects());
    await underLoad("(h) websocket service, tabs open", async () => {
      await killHard(processOf(stack, "websocket").pid);
      await restartProcess(stack, "websocket", () => serviceReady("websocket"));
      await Promise.all(tabs.map((tab, index) => tab.reconnected(reconnectsBefore[index]! + 1)));
    });
    // The journal in Redis survived the process: every tab replayed from its last event, none had to refetch.
    for (const tab of tabs) expect(tab.resets()).toEqual([]);
  });

  test(`(i) audit answering its deliveries slowly for ${SLOW_WINDOW_MS / 1000} s: the other consumers keep up, audit catches up`, async () => {
    let held = 0;
    await underLoad("(i) audit slow for 30 s", async () => {
      const { slowUntil } = (await gate("/__gate/slow", { method: "POST", body: JSON.stringify({ forMs: SLOW_WINDOW_MS }) })) as { slowUntil: string };
      // While audit holds its partitions, websocket (its own consumer group) still delivers at once.
      const user = users[2]!;
      const task = await api.createTask(user, { title: "made while audit is slow" });
      await tabOf.get(user)!.nextFrame((frame) => frame.data.task?.id === task.id, "the change made while audit is slow on its tab", UNAFFECTED_LAG_MS);
      expect(Date.now()).toBeLessThan(Date.parse(slowUntil));
      await waitFor(() => Date.now() >= Date.parse(slowUntil), { timeoutMs: SLOW_WINDOW_MS + 5_000, message: "the slow window to end" });
      held = ((await gate("/__gate")) as { held: number }).held;
    });
    expect(held).toBeGreaterThan(0);
  });
});

const underLoad: ReturnType<typeof createFaultRun>["underLoad"] = (...args) => run.underLoad(...args);
