import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Task } from "@todo/common";
import { waitFor } from "@todo/testkit";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiClient, type ApiClient, type AuditItem, type TestUser } from "./harness/api-client.ts";
import { startSystemProcess, type SystemProcess } from "./harness/system-process.ts";

/**
 * The outbox and the durable event log together: a `bun start` killed with
 * SIGKILL in the middle of a burst of writes, then started again on the same
 * data, ends with an audit trail holding every committed event exactly once.
 */
setDefaultTimeout(90_000);

const running = new Set<SystemProcess>();
const dataDirs: string[] = [];
afterEach(async () => {
  for (const system of [...running]) await system.crash();
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * Writes from a few concurrent "clients" until `stop()` says so or the
 * system goes away: each creates a task and then keeps changing it. Returns
 * how many writes were acknowledged.
 */
function startBurst(api: ApiClient, user: TestUser, tasks: Task[], label: string) {
  let acknowledged = 0;
  let stopped = false;
  const worker = async (n: number) => {
    let task: Task = tasks[n] ?? (await api.createTask(user, { title: `${label} task ${n}` }).then((created) => (acknowledged++, created)));
    for (let change = 1; !stopped; change++) {
      task = await api.updateTask(user, task.id, { title: `${label} task ${n} change ${change}` });
      acknowledged++;
    }
  };
  const workers = Promise.allSettled([0, 1, 2, 3].map(worker));
  return {
    acknowledged: () => acknowledged,
    async stop() {
      stopped = true;
      await workers;
    },
  };
}

describe("audit trail across a crash", () => {
  test("holds every event exactly once after the runtime is killed (-9) and restarted in the middle of a burst", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "todo-e2e-crash-"));
    dataDirs.push(dataDir);

    const first = await startSystemProcess(dataDir, running);
    const user = await apiClient(first.url).signup("henry");
    const before = startBurst(apiClient(first.url), user, [], "first");
    await waitFor(() => before.acknowledged() >= 40, { message: "40 acknowledged writes", timeoutMs: 30_000 });
    const auditedAtKill = (await apiClient(first.url).auditTrail(user)).length;
    await first.crash(); // requests in flight fail; some of them may have committed
    await before.stop();

    const second = await startSystemProcess(dataDir, running);
    const api = apiClient(second.url);
    const tasksAfterCrash = await api.listTasks(user, "all");
    expect(tasksAfterCrash.length).toBeGreaterThan(0);
    // The burst goes on against the restarted system while the backlog drains.
    const after = startBurst(api, user, tasksAfterCrash.slice(0, 4), "second");
    await waitFor(() => after.acknowledged() >= 20, { message: "20 more acknowledged writes", timeoutMs: 30_000 });
    await after.stop();

    // Each task's version counts its events (created, then one per change): that many must be audited.
    const tasks = await api.listTasks(user, "all");
    const expected = tasks.reduce((sum, task) => sum + task.version, 0);
    const adminToken = (JSON.parse(readFileSync(join(dataDir, "secrets.json"), "utf8")) as Record<string, string>)["admin-token"]!;
    let trail: AuditItem[] = [];
    await waitFor(
      async () => {
        trail = await api.auditTrail(user);
        const gaps = await api.auditGaps(adminToken, 0);
        return trail.length >= expected && gaps.checked >= expected && gaps.missing.length === 0;
      },
      {
        message: `${expected} audited events and an empty gap report`,
        timeoutMs: 30_000,
        describe: () => `${trail.length} audited; last output:\n${second.output().slice(-2000)}`,
      },
    );

    console.log(
      `crash test: ${before.acknowledged()} writes acknowledged before the kill (${auditedAtKill} audited just before it), ` +
        `${after.acknowledged()} after; ` +
        `${tasks.length} tasks, ${expected} events audited once each`,
    );
    const gaps = await api.auditGaps(adminToken, 0);
    expect(gaps).toEqual({ missing: [], checked: expected });
    expect(trail).toHaveLength(expected);
    const ids = trail.map((item) => item.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const task of tasks) {
      const versions = trail
        .filter((item) => item.taskId === task.id)
        .map((item) => (item.event.data as { version: number }).version)
        .sort((a, b) => a - b);
      expect({ task: task.title, versions }).toEqual({ task: task.title, versions: Array.from({ length: task.version }, (_, i) => i + 1) });
    }
  });
});
