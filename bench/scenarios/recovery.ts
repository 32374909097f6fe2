import { forEachAuditItem } from "../lib/audit-trail.ts";
import { auditGaps, pipelineDrained, timeUntil } from "../lib/probes.ts";
import type { Scenario } from "../lib/scenario.ts";
import { crowd } from "../lib/crowd.ts";
import { openSession } from "../lib/session.ts";
import type { BenchUser } from "../lib/users.ts";

/** Keys (as the load generator records them) of every task event in these users' audit trails. */
async function auditedTaskKeys(auditUrl: string, users: BenchUser[]): Promise<Set<string>> {
  const keys = new Set<string>();
  await forEachAuditItem(auditUrl, users, {}, (item) => {
    if (!item.type.startsWith("todo.task.")) return;
    keys.add(item.type === "todo.task.deleted.v1" ? `${item.taskId}:deleted` : `${item.taskId}:${item.event.data.version}`);
  });
  return keys;
}

/**
 * Recovery: kill -9 the embedded process under open-loop load, start it
 * again on the same data, and time /readyz and the drained backlog (outbox
 * published, audit complete) from the kill. Every mutation that was
 * answered 2xx before the kill must be in the audit trail: events lost.
 */
export const recovery: Scenario = {
  name: "recovery",
  title: "Recovery: kill -9 under load",
  embeddedOnly: true,
  metrics: [
    { key: "readyMs", label: "kill -> /readyz 200", unit: "ms" },
    { key: "drainedMs", label: "kill -> backlog drained", unit: "ms", goal: "<= 2000" },
    { key: "eventsLost", label: "events lost", unit: "", goal: "0" },
    { key: "acceptedBeforeKill", label: "mutations accepted before the kill", unit: "" },
    { key: "rate", label: "offered rate", unit: "/s" },
  ],
  async run(ctx, repetition) {
    const quick = ctx.options.quick;
    const rate = quick ? 50 : 300;
    const session = await openSession(ctx, { users: crowd(quick).users, sockets: false, repetition });
    const { system } = session;
    try {
      await session.run({ concurrency: 16, durationMs: quick ? 500 : 2000 });
      const running = session.run({ rate, durationMs: 600_000, recordKeys: true });
      await Bun.sleep(quick ? 1500 : 5000);
      // The kill lands while requests are in flight (their outcome is unknown to the client); then no new ones.
      const crash = system.crashAndRestart!();
      await session.load.call("stop");
      const load = await running;
      const { readyMs } = await crash;
      const drainedAfterReady = await timeUntil(() => pipelineDrained(system), 60_000, 20);
      const drainedMs = drainedAfterReady === undefined ? Number.POSITIVE_INFINITY : readyMs + drainedAfterReady;
      const audited = await auditedTaskKeys(system.urls.audit, session.population.users);
      const accepts = load.accepts ?? [];
      return {
        rate,
        readyMs,
        drainedMs,
        acceptedBeforeKill: accepts.length,
        eventsLost: accepts.filter(([key]) => !audited.has(key)).length,
        gapsAfter: (await auditGaps(system)).missing,
      };
    } finally {
      await session.stop();
    }
  },
};
