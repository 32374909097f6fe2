import { embeddedTarget, buildSeed } from "./lib/system.ts";
import { signUpUsers } from "./lib/users.ts";
import { openSession } from "./lib/session.ts";
import { loadStep } from "./scenarios/throughput.ts";
import type { ScenarioContext } from "./lib/scenario.ts";
const rate = Number(process.argv[2] ?? 60);
let users: any[] = [];
const seedDir = await buildSeed(async (s) => { users = await signUpUsers(s.url, 20, "ab"); });
const ctx = { options: { seed: 1 } as any, target: embeddedTarget(), population: async () => ({ users, seedDir }), log: console.log } as ScenarioContext;
const session = await openSession(ctx, { users: 20, sockets: true, repetition: 1 });
await session.run({ concurrency: 8, durationMs: 2000 });
for (let i = 0; i < 2; i++) {
  const o = await loadStep(session, rate, 10000);
  console.log(JSON.stringify({ tree: import.meta.dir, rate, mps: o.mutationsPerSecond.toFixed(0), cpuMsPerMutation: o.cpuMsPerMutation.toFixed(2), drainMs: o.drainMs.toFixed(0), rss: o.rssPeakMb.toFixed(0), keptUp: o.keptUp }));
}
await session.stop();
process.exit(0);
