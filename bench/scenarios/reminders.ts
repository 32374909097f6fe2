import { forEachAuditItem } from "../lib/audit-trail.ts";
import { nowMs } from "../lib/clock.ts";
import { timeUntil } from "../lib/probes.ts";
import type { Scenario } from "../lib/scenario.ts";
import { crowd } from "../lib/crowd.ts";
import { openSession } from "../lib/session.ts";
import { distribution } from "../lib/stats.ts";
import type { BenchUser } from "../lib/users.ts";
import type { ReminderFrames } from "../workers/sockets.ts";

const TRIGGERED = "todo.reminder.triggered.v1";

/** How many ReminderTriggered events the audit trail holds per reminder id, over these users. */
async function auditedTriggers(auditUrl: string, users: BenchUser[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  await forEachAuditItem(auditUrl, users, { type: TRIGGERED }, (item) => {
    const reminderId = String(item.event.data.reminderId);
    counts.set(reminderId, (counts.get(reminderId) ?? 0) + 1);
  });
  return counts;
}

/**
 * Reminder accuracy: 10,000 reminders due within one minute (spread evenly
 * over a 60 s window), each user with its tabs open. Lateness = frame received
 * minus remindAt; none missed and none twice, counted on the tabs and in
 * the audit trail.
 */
export const reminders: Scenario = {
  name: "reminders",
  title: "Reminder accuracy: reminders due within the same minute",
  defaultReps: 1,
  metrics: [
    { key: "reminders", label: "reminders due", unit: "" },
    { key: "lateness.p50Ms", label: "lateness p50 (frame received)", unit: "ms" },
    { key: "lateness.p99Ms", label: "lateness p99 (frame received)", unit: "ms", goal: "<= 100" },
    { key: "lateness.maxMs", label: "lateness max (frame received)", unit: "ms" },
    { key: "fireLateness.p99Ms", label: "fire lateness p99 (firedAt)", unit: "ms" },
    { key: "missed", label: "missed", unit: "", goal: "0" },
    { key: "twice", label: "delivered twice", unit: "", goal: "0" },
    { key: "auditMissing", label: "ReminderTriggered missing in audit", unit: "", goal: "0" },
    { key: "auditTwice", label: "ReminderTriggered twice in audit", unit: "", goal: "0" },
    { key: "createRate", label: "set-up rate (tasks created)", unit: "/s" },
  ],
  async run(ctx, repetition) {
    const quick = ctx.options.quick;
    const count = quick ? 200 : 10_000;
    const windowMs = quick ? 5_000 : 60_000;
    const session = await openSession(ctx, { ...crowd(quick), sockets: true, repetition });
    try {
      // Warm-up doubles as calibration: how fast can tasks be created here?
      const warm = await session.run({ concurrency: 32, durationMs: quick ? 1000 : 3000 });
      const createRate = Math.max(20, warm.accepted / (warm.elapsedMs / 1000));
      const windowStart = nowMs() + (count / (0.6 * createRate)) * 1000 + 5000;
      const remindAts = Array.from({ length: count }, (_, index) => Math.round(windowStart + (index * windowMs) / count));
      await session.snapshot({ reset: true });
      const setupStarted = nowMs();
      const created = await session.load.call<{ reminderIds: string[]; failed: number }>("createReminders", { remindAts, concurrency: 32 });
      const setupEnded = nowMs();
      if (setupEnded > windowStart) ctx.log(`  set-up ran ${Math.round(setupEnded - windowStart)} ms into the window`);
      const expected = new Set(created.reminderIds);
      const windowEnd = windowStart + windowMs;
      await Bun.sleep(Math.max(0, windowEnd - nowMs()));
      const received = async () => (await session.snapshot({ details: true })).reminders ?? [];
      // Every tab of the reminder's user gets its frame.
      const complete = (entries: ReminderFrames[]) => entries.filter((entry) => entry.receivedAt.length >= session.tabsPerUser).length;
      await timeUntil(async () => complete((await received()).filter((entry) => expected.has(entry.reminderId))) >= expected.size, 60_000, 250);
      const frames = (await received()).filter((entry) => expected.has(entry.reminderId));
      const audited = await auditedTriggers(session.system.urls.audit, session.population.users);
      // Lateness on every tab: each frame against the reminder's time.
      const lateness = distribution(frames.flatMap((entry) => entry.receivedAt.map((at) => at - Date.parse(entry.remindAt))));
      const fireLateness = distribution(frames.map((entry) => Date.parse(entry.firedAt) - Date.parse(entry.remindAt)));
      return {
        reminders: expected.size,
        createFailed: created.failed,
        createRate: created.reminderIds.length / ((setupEnded - setupStarted) / 1000),
        setupOverranMs: Math.max(0, setupEnded - windowStart),
        lateness: { p50Ms: lateness.p50, p95Ms: lateness.p95, p99Ms: lateness.p99, maxMs: lateness.max },
        fireLateness: { p50Ms: fireLateness.p50, p99Ms: fireLateness.p99, maxMs: fireLateness.max },
        missed: expected.size - complete(frames),
        twice: frames.filter((entry) => entry.repeats > 0).length,
        auditMissing: [...expected].filter((id) => !audited.has(id)).length,
        auditTwice: [...audited.values()].filter((times) => times > 1).length,
      };
    } finally {
      await session.stop();
    }
  },
};
