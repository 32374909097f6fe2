import { nowMs } from "../lib/clock.ts";
import { auditGaps, outboxPending, pipelineDrained, timeUntil } from "../lib/probes.ts";
import { cpuSeconds, sampleRss } from "../lib/process-stats.ts";
import type { Scenario, ScenarioContext } from "../lib/scenario.ts";
import { crowd } from "../lib/crowd.ts";
import { openSession, type Session } from "../lib/session.ts";

/** After the load stops, everything published must be delivered within this: the backlog stayed bounded. */
const MAX_DRAIN_MS = 3000;
/** A queue growing in front of chat-api shows as latency long before requests fail: answers must stay quick. */
const MAX_HTTP_P99_MS = 1000;

export interface StepOutcome {
  targetRate: number;
  mutationsPerSecond: number;
  eventsPerSecond: number;
  accepted: number;
  failed: number;
  behind: number;
  maxOutboxPending: number;
  /** Largest gap between accepted mutations and task frames the tabs had received. */
  maxWebsocketLag: number;
  drainMs: number;
  keptUp: boolean;
  httpP99Ms: number;
  rssPeakMb: number;
  /** CPU the system process spent per accepted mutation, load and drain together (embedded only). */
  cpuMsPerMutation: number;
}

/**
 * Open-loop load at `rate` for `durationMs`, then: did every consumer keep up?
 * Kept up = at least 95 % of the offered load accepted, no errors, nothing
 * left unsent, HTTP p99 within MAX_HTTP_P99_MS, and the whole backlog
 * (outbox, audit, WebSocket frames) drained within MAX_DRAIN_MS of the last
 * mutation.
 */
export async function loadStep(session: Session, rate: number, durationMs: number): Promise<StepOutcome> {
  const { system } = session;
  await session.snapshot({ reset: true });
  const before = await auditGaps(system);
  let maxOutboxPending = 0;
  let maxWebsocketLag = 0;
  const rss = system.pid ? sampleRss(system.pid) : undefined;
  const cpuBefore = system.pid ? cpuSeconds(system.pid) : undefined;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      maxOutboxPending = Math.max(maxOutboxPending, (await outboxPending(system).catch(() => 0)) ?? 0);
      const accepted = session.load.progress()?.accepted ?? 0;
      const frames = session.sockets?.progress()?.taskFrames ?? accepted * session.tabsPerUser;
      maxWebsocketLag = Math.max(maxWebsocketLag, accepted - frames / session.tabsPerUser);
      await Bun.sleep(500);
    }
  })();
  const result = await session.run({ rate, durationMs });
  sampling = false;
  await sampler;
  const loadEnded = nowMs();
  const drained = await timeUntil(
    async () => (await session.snapshot()).taskFrames >= result.accepted * session.tabsPerUser && (await pipelineDrained(system)),
    30_000,
    25,
  );
  const drainMs = drained === undefined ? Number.POSITIVE_INFINITY : nowMs() - loadEnded;
  const cpuAfter = system.pid ? cpuSeconds(system.pid) : undefined;
  const after = await auditGaps(system);
  const failed = Object.values(result.failed).reduce((sum, count) => sum + count, 0);
  // Over the offered window: requests still in flight when it closed are answered just after.
  const seconds = durationMs / 1000;
  return {
    targetRate: rate,
    mutationsPerSecond: result.accepted / seconds,
    eventsPerSecond: (after.checked - before.checked) / seconds,
    accepted: result.accepted,
    failed,
    behind: result.behind,
    maxOutboxPending,
    maxWebsocketLag,
    drainMs,
    keptUp:
      result.accepted >= 0.95 * rate * seconds &&
      failed === 0 &&
      result.behind === 0 &&
      drainMs <= MAX_DRAIN_MS &&
      result.httpMs.p99 <= MAX_HTTP_P99_MS,
    httpP99Ms: result.httpMs.p99,
    rssPeakMb: (rss?.stop() ?? 0) / 2 ** 20,
    cpuMsPerMutation: cpuBefore !== undefined && cpuAfter !== undefined ? ((cpuAfter - cpuBefore) * 1000) / result.accepted : Number.NaN,
  };
}

async function warmUp(session: Session, quick: boolean) {
  await session.run({ concurrency: 16, durationMs: quick ? 1000 : 3000 });
  await timeUntil(() => pipelineDrained(session.system), 30_000);
}

interface Search {
  bestRate: number;
  steps: StepOutcome[];
}

/**
 * Throughput: the highest offered rate of mixed task mutations every
 * consumer keeps up with. A search on one system (rates growing by 1.5x
 * until one fails, then bisection), then each repetition holds the best
 * rate for the full duration on a fresh system.
 */
export const throughput: Scenario<Search> = {
  name: "throughput",
  title: "Throughput: highest sustained rate of mixed task mutations",
  defaultReps: 2,
  metrics: [
    { key: "mutationsPerSecond", label: "mutations/s sustained", unit: "/s", goal: ">= 5000" },
    { key: "eventsPerSecond", label: "events/s published", unit: "/s" },
    { key: "targetRate", label: "offered rate", unit: "/s" },
    { key: "keptUp", label: "kept up (1 = yes)", unit: "" },
    { key: "maxOutboxPending", label: "max outbox backlog", unit: "events" },
    { key: "maxWebsocketLag", label: "max WebSocket lag", unit: "events" },
    { key: "drainMs", label: "drain after load", unit: "ms" },
    { key: "httpP99Ms", label: "HTTP p99", unit: "ms" },
    { key: "rssPeakMb", label: "RSS at this load", unit: "MB" },
    { key: "cpuMsPerMutation", label: "system CPU per mutation", unit: "ms" },
  ],
  async prepare(ctx: ScenarioContext): Promise<Search> {
    const quick = ctx.options.quick;
    const stepMs = quick ? 1500 : 10_000;
    const session = await openSession(ctx, { ...crowd(quick), sockets: true, repetition: 0 });
    try {
      await warmUp(session, quick);
      const steps: StepOutcome[] = [];
      const step = async (rate: number) => {
        const outcome = await loadStep(session, Math.round(rate), stepMs);
        ctx.log(`  search ${outcome.targetRate}/s: ${outcome.keptUp ? "kept up" : "fell behind"} (${outcome.mutationsPerSecond.toFixed(0)}/s, drain ${outcome.drainMs.toFixed(0)} ms)`);
        steps.push(outcome);
        // Let a failed step's backlog clear before the next one.
        await timeUntil(() => pipelineDrained(session.system), 60_000);
        return outcome.keptUp;
      };
      let low = 0;
      let high = Number.POSITIVE_INFINITY;
      let rate = quick ? 40 : 100;
      while (high === Number.POSITIVE_INFINITY && rate <= 20_000) {
        if (await step(rate)) low = rate;
        else high = rate;
        rate *= 1.5;
      }
      // Even the first rate was too much: come down until one holds.
      while (low === 0 && high > 5) {
        high /= 2;
        if (await step(high)) low = high;
      }
      for (let round = 0; round < (quick ? 0 : 1) && high !== Number.POSITIVE_INFINITY; round += 1) {
        const middle = (low + high) / 2;
        if (await step(middle)) low = middle;
        else high = middle;
      }
      return { bestRate: Math.round(low), steps };
    } finally {
      await session.stop();
    }
  },
  async run(ctx, repetition, search) {
    const quick = ctx.options.quick;
    const durationMs = (ctx.options.durationS ?? (quick ? 3 : 60)) * 1000;
    const session = await openSession(ctx, { ...crowd(quick), sockets: true, repetition });
    try {
      await warmUp(session, quick);
      const outcome = await loadStep(session, Math.max(1, search.bestRate), durationMs);
      return { ...outcome, keptUp: outcome.keptUp ? 1 : 0, clients: session.connected };
    } finally {
      await session.stop();
    }
  },
};
