/**
 * One fault under the steady stream, and the checks after it, shared by the
 * fault files: `underLoad` runs the stream, applies the fault, proves the
 * path through the faulted part works again (probe) and checks every
 * invariant; recovery times are kept per fault and written to results/.
 */
import { expect } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "@todo/testkit";
import type { ApiClient, TestUser } from "../../e2e/harness/api-client.ts";
import type { BrowserTab } from "@todo/testkit/browser-tab";
import { startChangeStream, type ChangeStream } from "./change-stream.ts";
import { auditTrailProblems, duplicateOccurrences, reminderProblems, sameVersions, serverVersions, tabVersions } from "./invariants.ts";

export const RECOVERY_TIMEOUT_MS = 120_000;
const RESULTS = join(import.meta.dir, "..", "results");

/** What the checks read of a tab: its frames (across reconnects), and a wait for one. */
export type LiveTab = Pick<BrowserTab, "frames" | "nextFrame">;

export interface Recovery {
  killToRestartedMs: number;
  killToCaughtUpMs: number;
  failedRequests: number;
  changesPerSecond: number;
}

export interface FaultRunContext {
  api: ApiClient;
  /** The admin token of GET /api/audit/gaps. */
  adminToken: string;
  users: TestUser[];
  tabOf: Map<TestUser, LiveTab>;
}

export function createFaultRun(context: FaultRunContext) {
  const { api, users, tabOf } = context;
  const recovery: Record<string, Recovery> = {};

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
        const report = await api.auditGaps(context.adminToken, 0);
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
   * (probe, then `after` for what the fault needs proven besides), stops the
   * stream and checks every invariant.
   */
  async function underLoad(
    name: string,
    fault: (stream: ChangeStream) => Promise<void>,
    options: { before?: () => Promise<void>; after?: (stream: ChangeStream) => Promise<void> } = {},
  ): Promise<ChangeStream> {
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
      await fault(stream);
      const restartedAt = performance.now();
      await probeThrough(name);
      recovery[name] = {
        killToRestartedMs: Math.round(restartedAt - killedAt),
        killToCaughtUpMs: Math.round(performance.now() - killedAt),
        failedRequests: stream.failed() - failedBefore,
        changesPerSecond: 0,
      };
      await options.after?.(stream);
      // A little more traffic on the recovered system before checking.
      const confirmed = stream.confirmed();
      await waitFor(() => stream.confirmed() >= confirmed + 20, { timeoutMs: 60_000, message: "the stream flowing again" });
    } finally {
      await stream.stop();
    }
    if (recovery[name]) recovery[name].changesPerSecond = Math.round((stream.confirmed() / (performance.now() - streamStarted)) * 1000);
    await expectConsistent(stream);
    return stream;
  }

  /** Writes results/<file>.json and prints the table. */
  function report(file: string): void {
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, file), `${JSON.stringify(recovery, null, 2)}\n`);
    console.log("recovery times (ms):");
    for (const [fault, times] of Object.entries(recovery)) {
      console.log(
        `  ${fault.padEnd(34)} restarted ${times.killToRestartedMs}  caught up ${times.killToCaughtUpMs}  (failed requests ${times.failedRequests}, stream ${times.changesPerSecond} changes/s)`,
      );
    }
  }

  return { underLoad, probeThrough, expectConsistent, report, recovery };
}
