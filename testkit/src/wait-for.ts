/**
 * Waiting without fixed sleeps: poll a condition until a deadline, and say
 * what was being waited for (plus the last observed state) when it times out.
 */
export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** What the test waits for, e.g. "3 deliveries of event X". */
  message?: string;
  /** Extra context for the failure message (e.g. what has arrived so far). */
  describe?: () => string;
}

/** What a satisfied condition returns: its value minus the falsy cases. */
export type Truthy<T> = Exclude<T, false | 0 | "" | null | undefined>;

export async function waitFor<T>(
  condition: () => T | Promise<T>,
  options: WaitOptions = {},
): Promise<Truthy<T>> {
  const { timeoutMs = 5000, intervalMs = 10 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as Truthy<T>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const parts = [`timed out after ${timeoutMs} ms waiting for ${options.message ?? "condition"}`];
      if (lastError instanceof Error) parts.push(`last error: ${lastError.message}`);
      if (options.describe) parts.push(`observed: ${options.describe()}`);
      throw new Error(parts.join("\n"));
    }
    await Bun.sleep(intervalMs);
  }
}

/**
 * Watches `value` for `forMs` and fails as soon as it changes. Used to show
 * that something does NOT happen (no third job trigger, no redelivery) over
 * an observation window; the window is the assertion, not a synchronisation.
 */
export async function expectUnchanged<T>(
  value: () => T,
  forMs: number,
  message: string,
  intervalMs = 20,
): Promise<void> {
  const initial = JSON.stringify(value());
  const until = Date.now() + forMs;
  while (Date.now() < until) {
    await Bun.sleep(Math.min(intervalMs, Math.max(0, until - Date.now())));
    const current = JSON.stringify(value());
    if (current !== initial) throw new Error(`${message}: changed from ${initial} to ${current}`);
  }
}

/** Resolves once the wall clock has passed `epochMs` (e.g. a job's due time). */
export async function untilClockPasses(epochMs: number): Promise<void> {
  const remaining = epochMs - Date.now();
  if (remaining > 0) await Bun.sleep(remaining);
}
