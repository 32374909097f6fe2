import type { Spread } from "./stats.ts";
import type { Target } from "./system.ts";
import type { BenchUser } from "./users.ts";

export interface BenchOptions {
  scenarios: string[];
  quick: boolean;
  /** Repetitions of every scenario; unset: each scenario's default (3 unless it says otherwise; 1 with --quick). */
  reps?: number;
  /** Overrides the measured duration of the throughput run and the sync-latency levels (seconds). */
  durationS?: number;
  stack: boolean;
  seed: number;
  resultsDir: string;
}

/** Signed-up users, and on the embedded target a stopped system's data dir holding them (copied per repetition). */
export interface Population {
  users: BenchUser[];
  seedDir?: string;
}

export interface ScenarioContext {
  options: BenchOptions;
  target: Target;
  population(count: number): Promise<Population>;
  log(line: string): void;
}

/** One row of the Markdown table: a number of the repetitions' results, by its dotted path. */
export interface Metric {
  key: string;
  label: string;
  unit: string;
  /** The goal for this number, shown next to it. */
  goal?: string;
}

export interface Scenario<State = unknown> {
  name: string;
  title: string;
  metrics: Metric[];
  /** Repetitions when --reps is not given (default 3): the minute-long scenarios run fewer to fit the 15-minute budget. */
  defaultReps?: number;
  /** Needs a process to kill or measure: skipped on the real stack. */
  embeddedOnly?: boolean;
  /** Once before the repetitions (e.g. the throughput search). */
  prepare?(ctx: ScenarioContext): Promise<State>;
  run(ctx: ScenarioContext, repetition: number, state: State): Promise<Record<string, unknown>>;
}

export interface ScenarioReport {
  scenario: string;
  title: string;
  target: "embedded" | "stack";
  options: BenchOptions;
  machine: unknown;
  prepared?: unknown;
  repetitions: Record<string, unknown>[];
  summary: Record<string, Spread>;
  metrics: Metric[];
  skipped?: string;
  durationMs: number;
}

