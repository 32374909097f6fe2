import { createHash } from "node:crypto";
import { AppError, DaprUnavailableError, EtagMismatchError, updateWithEtag, type DaprClient } from "@todo/common";

/**
 * How many sign-in failures a key gets for free, and the back-off after:
 * each failure beyond the free ones doubles the wait before the next attempt
 * (base, 2x base, 4x base ... up to max). A key left alone for forgetAfterMs
 * starts again from nothing.
 */
export interface ThrottlePolicy {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  forgetAfterMs: number;
}

// Per account: a person mistyping gets five tries; a guesser gets about 16 an hour after that.
export const ACCOUNT_POLICY: ThrottlePolicy = { freeFailures: 5, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 };
// Per client address: wider, since one address may be a whole office behind NAT; it stops spraying many accounts.
export const ADDRESS_POLICY: ThrottlePolicy = { freeFailures: 20, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 };

/** What Dapr state holds per key. */
export interface AttemptRecord {
  failures: number;
  /** No attempt before this instant (ms). */
  lockedUntil: number;
  lastAt: number;
}

export type Admission = { ok: true; next: AttemptRecord } | { ok: false; retryAfterMs: number };

/**
 * Whether an attempt may go ahead now and, if so, the record that counts it.
 * The attempt is counted before the password is checked, so parallel guesses
 * cannot all pass while the count is still low; a success gives it back.
 */
export function admitAttempt(record: AttemptRecord | undefined, now: number, policy: ThrottlePolicy): Admission {
  const current = record && now - record.lastAt < policy.forgetAfterMs ? record : undefined;
  if (current && now < current.lockedUntil) return { ok: false, retryAfterMs: current.lockedUntil - now };
  const failures = (current?.failures ?? 0) + 1;
  const beyond = failures - policy.freeFailures;
  const lockedUntil = beyond > 0 ? now + Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (beyond - 1)) : 0;
  return { ok: true, next: { failures, lockedUntil, lastAt: now } };
}

/** The record after a successful sign-in that `admitAttempt` had counted as a failure. */
export function refundAttempt(record: AttemptRecord, policy: ThrottlePolicy): AttemptRecord {
  const failures = Math.max(0, record.failures - 1);
  return { ...record, failures, lockedUntil: failures > policy.freeFailures ? record.lockedUntil : 0 };
}

export interface SignInThrottle {
  /** Counts an attempt for the account and the address, or throws the 429 (with Retry-After) when either must wait. */
  admit(emailKey: string, address: string): Promise<void>;
  /** A successful sign-in: the account starts again from nothing, the address gets its attempt back. */
  succeeded(emailKey: string, address: string): Promise<void>;
}

export interface SignInThrottleDeps {
  dapr: DaprClient;
  stateStore: string;
  now: () => Date;
}

/**
 * Sign-in throttling in Dapr state, so every replica of chat-api sees the
 * same counts (Redis in the distributed mode, the embedded store under `bun
 * start`). Keys are hashed: the store never holds an email address. An email
 * without an account is throttled exactly like one with, so the answers never
 * tell which emails are registered.
 */
export function createSignInThrottle(deps: SignInThrottleDeps): SignInThrottle {
  const { dapr, stateStore } = deps;
  const keyOf = (kind: "account" | "address", value: string) =>
    `sign-in:${kind}:${createHash("sha256").update(value).digest("hex").slice(0, 32)}`;
  const ttlOf = (policy: ThrottlePolicy) => Math.ceil(policy.forgetAfterMs / 1000);

  async function admitOne(key: string, policy: ThrottlePolicy): Promise<number | undefined> {
    let wait: number | undefined;
    await updateWithEtag<AttemptRecord>(dapr, stateStore, key, (record) => {
      const admission = admitAttempt(record, deps.now().getTime(), policy);
      if (!admission.ok) {
        wait = admission.retryAfterMs;
        return undefined;
      }
      wait = undefined;
      return { value: admission.next, ttlInSeconds: ttlOf(policy) };
    });
    return wait;
  }

  return {
    async admit(emailKey, address) {
      try {
        for (const [key, policy] of [
          [keyOf("address", address), ADDRESS_POLICY],
          [keyOf("account", emailKey), ACCOUNT_POLICY],
        ] as const) {
          const wait = await admitOne(key, policy);
          if (wait !== undefined) throw tooManyAttempts(Math.max(1, Math.ceil(wait / 1000)));
        }
      } catch (error) {
        if (error instanceof AppError) throw error;
        // So many attempts at once that the count could not be written: that is throttling too.
        if (error instanceof EtagMismatchError) throw tooManyAttempts(1);
        throw throttleUnavailable(error);
      }
    },

    async succeeded(emailKey, address) {
      try {
        await updateWithEtag<AttemptRecord>(dapr, stateStore, keyOf("account", emailKey), (record) => (record ? "delete" : undefined));
        await updateWithEtag<AttemptRecord>(dapr, stateStore, keyOf("address", address), (record) =>
          record ? { value: refundAttempt(record, ADDRESS_POLICY), ttlInSeconds: ttlOf(ADDRESS_POLICY) } : undefined,
        );
      } catch {
        // The sign-in itself succeeded; a count left behind only costs this account a free attempt.
      }
    },
  };
}

const tooManyAttempts = (seconds: number) =>
  new AppError(429, "too_many_attempts", `too many sign-in attempts; retry in ${seconds} s`, undefined, { "retry-after": String(seconds) });

function throttleUnavailable(error: unknown) {
  const reason = error instanceof DaprUnavailableError ? "the state store is unreachable" : "the state store failed";
  return new AppError(503, "sign_in_unavailable", `cannot sign in right now (${reason}); retry shortly`, undefined, { "retry-after": "1" });
}
