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
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "@todo/testkit";
import { advisoryLocks } from "@todo/common/db";
import { apiClient, type ApiClient, type TestUser } from "../e2e/harness/api-client.ts";
import { closeAll, openTab, type BrowserTab } from "@todo/testkit/browser-tab";
import { daprdHealthy } from "./daprd.ts";
import { kafkaReady } from "./infra.ts";
import { servicePorts, type StackState } from "./layout.ts";
import { readStack, restartProcess, serviceReady, processOf } from "./stack.ts";
import { startChangeStream, type ChangeStream } from "./harness/change-stream.ts";
import { auditTrailProblems, duplicateOccurrences, reminderProblems, sameVersions, serverVersions, tabVersions } from "./harness/invariants.ts";
import { killHard } from "./processes.ts";

setDefaultTimeout(240_000);

const RECOVERY_TIMEOUT_MS = 120_000;
const RESULTS = join(import.meta.dir, "results");

let stack: StackState;
let api: ApiClient;
const users: TestUser[] = [];
const tabs = new Set<BrowserTab>();
const tabOf = new Map<TestUser, BrowserTab>();
const recovery: Record<string, { killToRestartedMs: number; killToCaughtUpMs: number; failedRequests: number; changesPerSecond: number }> = {};

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
});

afterAll(async () => {
  await closeAll(tabs);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, "recovery.json"), `${JSON.stringify(recovery, null, 2)}\n`);
  console.log("recovery times (ms):");
  for (const [fault, times] of Object.entries(recovery)) {
    console.log(
      `  ${fault.padEnd(34)} restarted ${times.killToRestartedMs}  caught up ${times.killToCaughtUpMs}  (failed requests ${times.failedRequests}, stream ${times.changesPerSecond} changes/s)`,
    );
  }
});

/** A change made now is audited and on its owner's tab: the path through the faulted part works again. */
async function probeThrough(label: string): Promise<void> {
  const user = users[0]!;
  const task = await waitFor(() => api.createTask(user, { title: `probe ${label}` }).catch(() => undefined), {
    timeoutMs: RECOVERY_TIMEOUT_MS,
    intervalMs: 200,
    message: `chat-api to accept the probe change after ${label}`,
  });
  await waitFor(async () => (await api.auditTrail(user, { taskId: task.id }).catch(() => [])).length > 0, {
    timeoutMs: RECOVERY_TIMEOUT_MS,
    intervalMs: 200,
    message: `the probe change of ${label} in the audit trail`,
  });
  await tabOf.get(user)!.nextFrame((frame) => frame.data.task?.id === task.id, `the probe change of ${label} on the tab`, RECOVERY_TIMEOUT_MS);
}

/** Every invariant, waited for (consumers may still be catching up), then asserted. */
async function expectConsistent(stream: ChangeStream): Promise<void> {
  const gaps = await waitFor(
    async () => {
      const report = await api.auditGaps(stack.adminToken, 0);
      return report.missing.length === 0 && report;
    },
    { timeoutMs: RECOVERY_TIMEOUT_MS, intervalMs: 500, message: "an empty audit gap report" },
  );
  expect(gaps.checked).toBeGreaterThan(0);

  for (const user of users) {
    const versions = await serverVersions(api, user);
    let problems: string[] = [];
    await waitFor(
      async () => {
        problems = auditTrailProblems(await api.auditTrail(user), await serverVersions(api, user));
        return problems.length === 0;
      },
      { timeoutMs: RECOVERY_TIMEOUT_MS, intervalMs: 500, message: `${user.email}'s audit trail to hold every change once`, describe: () => problems.join("; ") },
    );
    expect(await duplicateOccurrences(api, user)).toEqual([]);
    const tab = tabOf.get(user)!;
    await waitFor(async () => sameVersions(tabVersions(tab), await serverVersions(api, user)), {
      timeoutMs: RECOVERY_TIMEOUT_MS,
      intervalMs: 500,
      message: `${user.email}'s tab to show the server's tasks`,
      describe: () => `tab ${tabVersions(tab).size} tasks, server ${versions.size}`,
    });
  }

  // Reminders are due a few seconds after their creation; wait until the last one is due.
  const lastDue = Math.max(0, ...stream.reminders.map((reminder) => Date.parse(reminder.remindAt)));
  let problems: string[] = [];
  await waitFor(
    async () => {
      if (Date.now() < lastDue) return false;
      problems = await reminderProblems(api, users, stream.reminders);
      return problems.length === 0;
    },
    { timeoutMs: RECOVERY_TIMEOUT_MS, intervalMs: 500, message: "every reminder fired exactly once", describe: () => problems.join("; ") },
  );
  expect(stream.reminders.length).toBeGreaterThan(0);
  expect(stream.series.size).toBeGreaterThan(0);
}

/**
 * Runs the stream, lets it make changes, applies `fault` (which kills and
 * restarts something and resolves when it runs again), proves the path works
 * (probe), stops the stream and checks every invariant.
 */
async function underLoad(name: string, fault: () => Promise<void>, options: { before?: () => Promise<void> } = {}): Promise<void> {
  const stream = startChangeStream(api, users);
  const streamStarted = performance.now();
  try {
    // The invariants need a recurring series and a reminder made before the fault.
    await waitFor(() => stream.confirmed() >= 30 && stream.series.size > 0 && stream.reminders.length > 0, {
      timeoutMs: 60_000,
      message: "the change stream under way, with a series and a reminder",
    });
    await options.before?.();
    const killedAt = performance.now();
    const failedBefore = stream.failed();
    await fault();
    const restartedAt = performance.now();
    await probeThrough(name);
    recovery[name] = {
      killToRestartedMs: Math.round(restartedAt - killedAt),
      killToCaughtUpMs: Math.round(performance.now() - killedAt),
      failedRequests: stream.failed() - failedBefore,
      changesPerSecond: 0,
    };
    // A little more traffic on the recovered system before checking.
    const confirmed = stream.confirmed();
    await waitFor(() => stream.confirmed() >= confirmed + 20, { timeoutMs: 60_000, message: "the stream flowing again" });
  } finally {
    await stream.stop();
  }
  if (recovery[name]) recovery[name].changesPerSecond = Math.round((stream.confirmed() / (performance.now() - streamStarted)) * 1000);
  await expectConsistent(stream);
}

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
