import { AppError } from "@todo/common";

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface WriteRateLimiter {
  /** Spends one write of the user's budget, or says how long until one is available. */
  take(userId: string): RateDecision;
  /** How many users this replica currently remembers (bounded; for metrics and tests). */
  trackedUsers(): number;
}

export interface RateLimitOptions {
  /** Sustained writes per user per minute; also the burst a rested user may spend at once. */
  perMinute: number;
  /** Milliseconds clock (injected by tests). */
  now?: () => number;
  /** Most users tracked at once; beyond it the least recently active are forgotten. */
  maxTrackedUsers?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per user, in the memory of this replica: with N replicas
 * behind a load balancer a user may get up to N times the budget. That is the
 * intended trade (no shared store on the write path); the limit protects each
 * replica and stops runaway clients, it is not a billing quota.
 *
 * Memory stays bounded: a bucket that has refilled completely is identical to
 * a new one, so it is forgotten, and at most `maxTrackedUsers` are kept.
 */
export function createWriteRateLimiter(options: RateLimitOptions): WriteRateLimiter {
  const capacity = options.perMinute;
  if (!(capacity >= 1)) throw new Error("perMinute must be at least 1");
  const now = options.now ?? Date.now;
  const maxTracked = options.maxTrackedUsers ?? 100_000;
  const perMs = capacity / 60_000;
  // Whatever its level, a bucket left alone this long is full again.
  const refillMs = 60_000;
  // Map iteration follows insertion order; re-inserting on every use keeps it least-recently-used first.
  const buckets = new Map<string, Bucket>();

  function forgetIdle(at: number) {
    for (const [userId, bucket] of buckets) {
      if (at - bucket.at < refillMs && buckets.size < maxTracked) break;
      buckets.delete(userId);
    }
  }

  return {
    take(userId) {
      const bucket = buckets.get(userId);
      // Never step back: a clock that goes back and forth again must not refill the same interval twice.
      const at = Math.max(now(), bucket?.at ?? -Infinity);
      const tokens = bucket ? Math.min(capacity, bucket.tokens + (at - bucket.at) * perMs) : capacity;
      buckets.delete(userId);
      forgetIdle(at);
      if (tokens < 1) {
        buckets.set(userId, { tokens, at });
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
      }
      buckets.set(userId, { tokens: tokens - 1, at });
      return { ok: true };
    },
    trackedUsers: () => buckets.size,
  };
}

/** Spends one write for the user or throws the 429 every write route answers (with Retry-After). */
export function takeWriteOrThrow(limiter: WriteRateLimiter, userId: string): void {
  const decision = limiter.take(userId);
  if (decision.ok) return;
  throw new AppError(429, "rate_limited", `too many writes; retry in ${decision.retryAfterSeconds} s`, undefined, {
    "retry-after": String(decision.retryAfterSeconds),
  });
}
