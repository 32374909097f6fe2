import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, UsageError } from "./lib/args.ts";
import type { ScenarioReport } from "./lib/scenario.ts";
import { distribution, spread } from "./lib/stats.ts";
import { runBench } from "./run.ts";

// A smoke run of the real harness: spawns `bun start`, signs users up, kills it once.
setDefaultTimeout(180_000);

const NAMES = ["reference", "throughput", "recovery"];

describe("bench arguments", () => {
  test("defaults to every scenario, 3 repetitions", () => {
    const options = parseArgs([], NAMES, "/tmp/r");
    expect(options).toMatchObject({ scenarios: NAMES, quick: false, stack: false });
    expect(options.reps).toBeUndefined();
  });

  test("repeatable --scenario, --quick, --reps and --duration", () => {
    const options = parseArgs(["--scenario", "recovery", "--scenario", "reference", "--quick", "--reps", "2", "--duration", "5"], NAMES, "/tmp/r");
    expect(options).toMatchObject({ scenarios: ["recovery", "reference"], quick: true, reps: 2, durationS: 5 });
  });

  test.each([[["--scenario", "nope"]], [["--reps", "0"]], [["--duration", "x"]], [["--fast"]]])("%p is a usage error", (argv) => {
    expect(() => parseArgs(argv, NAMES, "/tmp/r")).toThrow(UsageError);
  });
});

describe("bench statistics", () => {
  test("nearest-rank percentiles", () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(distribution(values)).toMatchObject({ count: 100, min: 1, p50: 50, p95: 95, p99: 99, max: 100 });
  });

  test("median of an even number of repetitions", () => {
    expect(spread([3, 1, 4, 2])).toMatchObject({ min: 1, median: 2.5, max: 4 });
  });
});

describe("a tiny bench run against bun start", () => {
  const resultsDir = mkdtempSync(join(tmpdir(), "bench-results-"));
  afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));
  let reports: ScenarioReport[] = [];
  const read = (name: string) => JSON.parse(readFileSync(join(resultsDir, `${name}.json`), "utf8")) as ScenarioReport;

  test("runs recovery and sync-latency and writes one JSON report each", async () => {
    reports = await runBench(
      { scenarios: ["recovery", "sync-latency"], quick: true, reps: 1, stack: false, seed: 7, resultsDir, durationS: 1 },
      () => {},
      () => {},
    );
    expect(reports.map((report) => report.scenario)).toEqual(["sync-latency", "recovery"]);
    for (const report of reports) {
      const written = read(report.scenario);
      expect(written.repetitions).toHaveLength(1);
      expect(written.machine).toMatchObject({ cores: expect.any(Number), bun: Bun.version, gitSha: expect.any(String) });
      expect(Object.keys(written.summary).length).toBeGreaterThan(0);
      for (const metric of written.metrics) expect(written.summary[metric.key]).toBeDefined();
    }
  });

  test("every mutation accepted before kill -9 is in the audit trail after the restart", () => {
    const [run] = read("recovery").repetitions as { acceptedBeforeKill: number; eventsLost: number; gapsAfter: number; readyMs: number }[];
    expect(run!.acceptedBeforeKill).toBeGreaterThan(0);
    expect(run!.eventsLost).toBe(0);
    expect(run!.gapsAfter).toBe(0);
  });

  test("every accepted mutation's frame reached the user's tab, each counted once", () => {
    const [run] = read("sync-latency").repetitions as Record<string, { accepted: number; samples: number; missing: number }>[];
    for (const level of ["at100", "at1000", "atmax"]) {
      const { accepted, samples, missing } = run![level]!;
      expect(accepted).toBeGreaterThan(0);
      expect(samples + missing).toBe(accepted);
      expect(missing).toBe(0);
    }
  });
});
