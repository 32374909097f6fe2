import { join } from "node:path";
import { sampleRss } from "../lib/process-stats.ts";
import type { Scenario } from "../lib/scenario.ts";
import { signUpUsers } from "../lib/users.ts";
import { startWorker } from "../lib/worker-rpc.ts";

const WORKERS = join(import.meta.dir, "../workers");
const MB = 2 ** 20;

/**
 * Footprint: `bun start` on an empty data dir timed from spawn to /readyz
 * 200, its RSS once idle, then its peak RSS under saturating load (closed
 * loop, 64 in flight) with a tab open per user.
 */
export const footprint: Scenario = {
  name: "footprint",
  title: "Footprint: cold start and memory of the embedded process",
  embeddedOnly: true,
  metrics: [
    { key: "coldStartMs", label: "cold start (spawn -> /readyz 200)", unit: "ms" },
    { key: "idleRssMb", label: "RSS idle", unit: "MB", goal: "<= 150" },
    { key: "loadedRssMb", label: "RSS peak at max load", unit: "MB" },
    { key: "loadRate", label: "max load (mutations/s)", unit: "/s" },
  ],
  async run(ctx, repetition) {
    const quick = ctx.options.quick;
    const { readyMs, system } = await ctx.target.coldStart!();
    try {
      await Bun.sleep(quick ? 1000 : 3000);
      const idleRssMb = (system.rss() ?? 0) / MB;
      const users = await signUpUsers(system.urls.api, quick ? 3 : 10, `footprint-${repetition}`);
      const sockets = startWorker(join(WORKERS, "sockets.ts"), { wsUrl: `${system.urls.ws.replace(/^http/, "ws")}/ws`, users, tabsPerUser: 5 });
      const load = startWorker(join(WORKERS, "mutations.ts"), { baseUrl: system.urls.api, users, seed: ctx.options.seed + repetition });
      try {
        await sockets.call("connect");
        const rss = sampleRss(system.pid as number);
        const result = await load.call<{ accepted: number; elapsedMs: number }>("run", { concurrency: 64, durationMs: quick ? 1500 : 6000 });
        return {
          coldStartMs: readyMs,
          idleRssMb,
          loadedRssMb: rss.stop() / MB,
          loadRate: result.accepted / (result.elapsedMs / 1000),
        };
      } finally {
        await sockets.stop();
        await load.stop();
      }
    } finally {
      await system.stop();
    }
  },
};
