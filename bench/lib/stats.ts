/** Percentiles of one sample set, and min/median/max across repetitions. */

export interface Distribution {
  count: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
  };
}

export interface Spread {
  min: number;
  median: number;
  max: number;
  values: number[];
}

/** One metric over the repetitions of a scenario. */
export function spread(values: readonly number[]): Spread {
  const finite = values.filter((value) => Number.isFinite(value));
  const sorted = [...finite].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median =
    sorted.length === 0
      ? Number.NaN
      : sorted.length % 2 === 1
        ? (sorted[Math.floor(middle)] as number)
        : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { min: sorted[0] ?? Number.NaN, median, max: sorted.at(-1) ?? Number.NaN, values: [...values] };
}

/** Spreads of every numeric field the repetitions share (nested objects flattened with "."). */
export function spreadOf(repetitions: readonly Record<string, unknown>[]): Record<string, Spread> {
  const columns = new Map<string, number[]>();
  for (const repetition of repetitions) {
    for (const [key, value] of flatten(repetition)) {
      const column = columns.get(key) ?? [];
      column.push(value);
      columns.set(key, column);
    }
  }
  return Object.fromEntries([...columns].map(([key, values]) => [key, spread(values)]));
}

function* flatten(value: Record<string, unknown>, prefix = ""): Generator<[string, number]> {
  for (const [key, inner] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof inner === "number") yield [path, inner];
    else if (inner && typeof inner === "object" && !Array.isArray(inner)) yield* flatten(inner as Record<string, unknown>, path);
  }
}
