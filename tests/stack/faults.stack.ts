/**
 * Fault injection on the real stack (bun run test:stack; needs bun run
 * stack:up). While several users keep changing tasks (recurring ones and
 * reminders a few seconds ahead included) with WebSocket tabs open, each
 * fault kills a process with SIGKILL and starts it again:
 *   (a) the audit service, (b) audit's daprd, (c) the Kafka broker,
 *   (d) chat-api between commit and publish.
 * After each recovery: every committed change audited exactly once (the gap
 * report empty, each task version once), no duplicate occurrence in any
 * series, every reminder fired once, every tab showing the server's state.
 * Recovery times go to tests/stack/results/recovery.json.
 *
 * (d) is made deterministic without touching chat-api: the test holds the
 * PostgreSQL advisory lock chat-api's outbox relay takes per round (as a
 * second chat-api replica would), so the relay publishes nothing; changes are
 * committed (their outbox rows are there, unpublished), then chat-api is
 * killed, the lock released and chat-api started again.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { waitFor } from "@todo/testkit";
import { advisoryLocks } from "@todo/common/db";
import { apiClient, type ApiClient, type TestUser } from "../e2e/harness/api-client.ts";
import { closeAll, openTab, type BrowserTab } from "@todo/testkit/browser-tab";
import { daprdHealthy } from "./daprd.ts";
import { kafkaReady } from "./infra.ts";
import { servicePorts, type StackState } from "./layout.ts";
import { readStack, restartProcess, serviceReady, processOf } from "./stack.ts";
import { createFaultRun, RECOVERY_TIMEOUT_MS } from "./harness/fault-run.ts";
import { killHard } from "./processes.ts";

setDefaultTimeout(240_000);

let stack: StackState;
let api: ApiClient;
const users: TestUser[] = [];
const tabs = new Set<BrowserTab>();
const tabOf = new Map<TestUser, BrowserTab>();
let run: ReturnType<typeof createFaultRun>;

beforeAll(async () => {
  const state = readStack();
  if (!state) throw new Error("the fault tests need the real stack: bun run stack:up (or bun run test:stack)");
  stack = state;
  api = apiClient({ api: stack.urls["chat-api"], audit: stack.urls.audit, ws: stack.urls.websocket, metrics: () => stack.urls["chat-api"] });
  for (const label of ["ada", "grace", "linus"]) {
    const user = await api.signup(`fault-${label}`);
    users.push(user);
    tabOf.set(user, await openTab(stack.urls.websocket, { token: user.token }, tabs));
  }
  run = createFaultRun({ api, adminToken: stack.adminToken, users, tabOf });
});

afterAll(async () => {
  await closeAll(tabs);
  run?.report("recovery.json");
});

const underLoad: ReturnType<typeof createFaultRun>["underLoad"] = (...args) => run.underLoad(...args);

describe("faults under a steady stream of changes", () => {
  test("(a) audit killed with SIGKILL and restarted: nothing lost, nothing audited twice", async () => {
    await underLoad("(a) audit service", async () => {
      await killHard(processOf(stack, "audit").pid);
      await restartProcess(stack, "audit", () => serviceReady("audit"));
    });
  });

  test("(b) audit's daprd killed with SIGKILL and restarted", async () => {
    await underLoad("(b) audit's daprd", async () => {
      await killHard(processOf(stack, "daprd-audit").pid);
      await restartProcess(stack, "daprd-audit", () => daprdHealthy(servicePorts("audit").daprHttp));
    });
  });

  test("(c) the Kafka broker killed with SIGKILL and restarted", async () => {
    await underLoad("(c) Kafka broker", async () => {
      await killHard(processOf(stack, "kafka").pid);
      await restartProcess(stack, "kafka", kafkaReady);
    });
  });

  test("(d) chat-api killed between commit and publish: the committed changes are published after its restart", async () => {
    const sql = new Bun.SQL(stack.databaseUrl);
    const lockHolder = await sql.reserve();
    const [namespace, key] = advisoryLocks.outboxRelay;
    // Rows up to `seq` that are committed but not published yet.
    const pending = async (seq = Number.MAX_SAFE_INTEGER) =>
      Number((await lockHolder`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL AND seq <= ${seq}`)[0].n);
    try {
      await underLoad(
        "(d) chat-api between commit and publish",
        async () => {
          // Committed but held back: the relay cannot take its lock, so these rows wait unpublished.
          await waitFor(async () => (await pending()) >= 10, { timeoutMs: 60_000, message: "10 committed, unpublished outbox rows" });
          await killHard(processOf(stack, "chat-api").pid);
          const [{ last }] = await lockHolder`SELECT max(seq)::bigint AS last FROM outbox WHERE published_at IS NULL`;
          const held = await pending(Number(last));
          expect(held).toBeGreaterThanOrEqual(10);
          await lockHolder`SELECT pg_advisory_unlock(${namespace}, ${key})`;
          await restartProcess(stack, "chat-api", () => serviceReady("chat-api"));
          await waitFor(async () => (await pending(Number(last))) === 0, {
            timeoutMs: RECOVERY_TIMEOUT_MS,
            message: `the restarted relay to publish the ${held} held rows`,
          });
        },
        { before: async () => void (await lockHolder`SELECT pg_advisory_lock(${namespace}, ${key})`) },
      );
    } finally {
      lockHolder.release();
      await sql.close();
    }
  });
});
