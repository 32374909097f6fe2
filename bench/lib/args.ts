import type { BenchOptions } from "./scenario.ts";

export const USAGE = `bun run bench [--scenario <name>]... [--quick] [--stack] [--reps N] [--duration S] [--seed N]

  --scenario   run only this scenario (repeatable); default: all
  --quick      small sizes and durations: a smoke run in about a minute
  --stack      against the real stack (BENCH_STACK_URL, BENCH_STACK_ADMIN_TOKEN)
  --reps       repetitions per scenario (default 3; throughput 2, reminders 1; --quick 1)
  --duration   seconds of the throughput run and of each sync-latency level
  --seed       seed of the load generators (default 42)`;

export class UsageError extends Error {}

export function parseArgs(argv: string[], known: string[], resultsDir: string): BenchOptions {
  const options: BenchOptions = { scenarios: [], quick: false, stack: false, seed: 42, resultsDir };
  const number = (flag: string, value: string | undefined, min: number): number => {
    const parsed = Number(value);
    if (value === undefined || !Number.isInteger(parsed) || parsed < min) throw new UsageError(`${flag} needs an integer >= ${min}`);
    return parsed;
  };
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index] as string;
    const value = argv[index + 1];
    switch (flag) {
      case "--scenario":
        if (!value || !known.includes(value)) throw new UsageError(`--scenario needs one of: ${known.join(", ")}`);
        options.scenarios.push(value);
        index += 1;
        break;
      case "--quick":
        options.quick = true;
        break;
      case "--stack":
        options.stack = true;
        break;
      case "--reps":
        options.reps = number(flag, value, 1);
        index += 1;
        break;
      case "--duration":
        options.durationS = number(flag, value, 1);
        index += 1;
        break;
      case "--seed":
        options.seed = number(flag, value, 0);
        index += 1;
        break;
      case "--results":
        if (!value) throw new UsageError("--results needs a directory");
        options.resultsDir = value;
        index += 1;
        break;
      default:
        throw new UsageError(`unknown argument ${flag}`);
    }
  }
  if (options.scenarios.length === 0) options.scenarios = [...known];
  return options;
}
