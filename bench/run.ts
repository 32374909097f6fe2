/**
 * `bun run bench`: drives the system through its public API and real
 * WebSocket clients, writes bench/results/<scenario>.json and prints a
 * Markdown table per scenario. See docs/performance.md.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs, USAGE, UsageError } from "./lib/args.ts";
import { machineFacts } from "./lib/machine.ts";
import { markdownTable } from "./lib/report.ts";
import type { BenchOptions, Population, Scenario, ScenarioContext, ScenarioReport } from "./lib/scenario.ts";
import { spreadOf } from "./lib/stats.ts";
import { buildSeed, embeddedTarget, stackTarget, type Target } from "./lib/system.ts";
import { signUpUsers } from "./lib/users.ts";
import { footprint } from "./scenarios/footprint.ts";
import { recovery } from "./scenarios/recovery.ts";
import { reference } from "./scenarios/reference.ts";
import { reminders } from "./scenarios/reminders.ts";
import { syncLatency } from "./scenarios/sync-latency.ts";
import { throughput } from "./scenarios/throughput.ts";

/** In the order they run: the cheap reference first, the minute-long ones later. */
export const SCENARIOS: Scenario<any>[] = [reference, footprint, throughput, syncLatency, reminders, recovery];

/** Users are signed up once per count and run (password hashing is slow); each repetition copies the seed. */
function populations(target: Target, log: (line: string) => void) {
  const cache = new Map<number, Promise<Population>>();
  const seeds: string[] = [];
  const build = async (count: number): Promise<Population> => {
    const started = performance.now();
    let population: Population;
    if (target.kind === "stack") {
      const system = await target.start();
      population = { users: await signUpUsers(system.urls.api, count, `bench-${count}`) };
    } else {
      let users: Population["users"] = [];
      const seedDir = await buildSeed(async (system) => {
        users = await signUpUsers(system.urls.api, count, `bench-${count}`);
      });
      seeds.push(seedDir);
      population = { users, seedDir };
    }
    log(`  signed up ${count} users in ${Math.round(performance.now() - started)} ms`);
    return population;
  };
  return {
    get(count: number): Promise<Population> {
      let population = cache.get(count);
      if (!population) cache.set(count, (population = build(count)));
      return population;
    },
    cleanUp() {
      for (const seed of seeds) rmSync(seed, { recursive: true, force: true });
    },
  };
}

export async function runBench(
  options: BenchOptions,
  log: (line: string) => void = console.error,
  print: (table: string) => void = console.log,
): Promise<ScenarioReport[]> {
  const target = options.stack ? stackTarget() : embeddedTarget();
  const users = populations(target, log);
  // An interrupted run (Ctrl-C) still removes the seed data dirs.
  process.once("exit", () => users.cleanUp());
  const ctx: ScenarioContext = { options, target, population: (count) => users.get(count), log };
  const reports: ScenarioReport[] = [];
  mkdirSync(options.resultsDir, { recursive: true });
  try {
    for (const scenario of SCENARIOS.filter((candidate) => options.scenarios.includes(candidate.name))) {
      const started = performance.now();
      const report: ScenarioReport = {
        scenario: scenario.name,
        title: scenario.title,
        target: target.kind,
        options,
        machine: machineFacts(),
        repetitions: [],
        summary: {},
        metrics: scenario.metrics,
        durationMs: 0,
      };
      if (scenario.embeddedOnly && target.kind === "stack") {
        report.skipped = "needs the embedded process (kill -9, RSS)";
      } else {
        log(`${scenario.name}: ${scenario.title}`);
        const state = scenario.prepare ? await scenario.prepare(ctx) : undefined;
        if (state !== undefined) report.prepared = state;
        const reps = options.reps ?? (options.quick ? 1 : (scenario.defaultReps ?? 3));
        for (let repetition = 1; repetition <= reps; repetition += 1) {
          const result = await scenario.run(ctx, repetition, state);
          log(`  rep ${repetition}: ${JSON.stringify(result)}`);
          report.repetitions.push(result);
        }
        report.summary = spreadOf(report.repetitions);
      }
      report.durationMs = performance.now() - started;
      writeFileSync(join(options.resultsDir, `${scenario.name}.json`), `${JSON.stringify(report, null, 2)}\n`);
      print(markdownTable(report));
      reports.push(report);
    }
  } finally {
    users.cleanUp();
  }
  return reports;
}

if (import.meta.main) {
  try {
    const options = parseArgs(process.argv.slice(2), SCENARIOS.map((scenario) => scenario.name), join(import.meta.dir, "results"));
    await runBench(options);
    process.exit(0);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw error;
  }
}
