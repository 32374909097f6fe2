import type { RunArgs } from "../workers/mutations.ts";
import { pipelineDrained, timeUntil } from "../lib/probes.ts";
import type { Scenario } from "../lib/scenario.ts";
import { crowd } from "../lib/crowd.ts";
import { openSession, type Session } from "../lib/session.ts";
import { distribution } from "../lib/stats.ts";


/**
 * One load level: every accepted mutation's key against the first frame with
 * that key on the user's tab. A frame that beats the HTTP answer counts 0 ms.
 */
async function measureLevel(session: Session, args: RunArgs) {
  // The previous level may have left work behind (requests cut off at its end still run): start from a drained system.
  await timeUntil(() => pipelineDrained(session.system), 60_000, 100);
  await session.snapshot({ reset: true });
  const result = await session.run({ ...args, recordKeys: true });
  const accepts = result.accepts ?? [];
  let frames = new Map<string, number>();
  // Frames of the warm-up may still arrive after the reset: wait for these keys, not a count.
  await timeUntil(
    async () => {
      frames = new Map((await session.snapshot({ details: true })).keys ?? []);
      return accepts.every(([key]) => frames.has(key));
    },
    10_000,
    100,
  );
  const latencies: number[] = [];
  let missing = 0;
  for (const [key, acceptedAt] of accepts) {
    const receivedAt = frames.get(key);
    if (receivedAt === undefined) missing += 1;
    else latencies.push(Math.max(0, receivedAt - acceptedAt));
  }
  const spread = distribution(latencies);
  return {
    ratePerSecond: result.accepted / (result.elapsedMs / 1000),
    accepted: result.accepted,
    p50Ms: spread.p50,
    p95Ms: spread.p95,
    p99Ms: spread.p99,
    maxMs: spread.max,
    samples: spread.count,
    missing,
    failed: Object.values(result.failed).reduce((sum, count) => sum + count, 0),
  };
}

/**
 * Client sync latency: mutation accepted -> frame on a WebSocket of the same
 * user (its first tab to get it), with 1,000 connected clients, at 100/s, 1,000/s and the maximum
 * (closed loop, 64 mutations in flight).
 */
export const syncLatency: Scenario = {
  name: "sync-latency",
  title: "Client sync latency: mutation accepted -> frame on the user's WebSocket",
  metrics: [
    ...(["100", "1000", "max"] as const).flatMap((level) => [
      { key: `at${level}.ratePerSecond`, label: `${level === "max" ? "max" : `${level}/s`}: achieved rate`, unit: "/s" },
      { key: `at${level}.p50Ms`, label: `${level === "max" ? "max" : `${level}/s`}: p50`, unit: "ms" },
      { key: `at${level}.p95Ms`, label: `${level === "max" ? "max" : `${level}/s`}: p95`, unit: "ms" },
      { key: `at${level}.p99Ms`, label: `${level === "max" ? "max" : `${level}/s`}: p99`, unit: "ms", goal: level === "1000" ? "<= 50" : undefined },
      { key: `at${level}.maxMs`, label: `${level === "max" ? "max" : `${level}/s`}: max`, unit: "ms" },
      { key: `at${level}.missing`, label: `${level === "max" ? "max" : `${level}/s`}: frames missing`, unit: "" },
    ]),
    { key: "clients", label: "connected clients", unit: "" },
  ],
  async run(ctx, repetition) {
    const quick = ctx.options.quick;
    const durationMs = (ctx.options.durationS ?? (quick ? 2 : 10)) * 1000;
    const session = await openSession(ctx, { ...crowd(quick), sockets: true, repetition });
    try {
      // Warm-up: JIT, PGlite caches and every tab's first frame.
      await session.run({ rate: 100, durationMs: quick ? 1000 : 3000 });
      const at100 = await measureLevel(session, { rate: 100, durationMs });
      const at1000 = await measureLevel(session, { rate: 1000, durationMs, maxInFlight: 4096 });
      const atmax = await measureLevel(session, { concurrency: 64, durationMs });
      return { clients: session.connected, at100, at1000, atmax };
    } finally {
      await session.stop();
    }
  },
};
