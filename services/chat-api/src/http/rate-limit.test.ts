import { describe, expect, test } from "bun:test";
import { createMemoryLogger, httpErrors } from "@todo/common";
import { Elysia } from "elysia";
import { createWriteRateLimiter, takeWriteOrThrow } from "./rate-limit.ts";

function manualClock() {
  let at = 1_000_000;
  return { now: () => at, advance: (ms: number) => void (at += ms) };
}

function spend(limiter: ReturnType<typeof createWriteRateLimiter>, userId: string, times: number) {
  return Array.from({ length: times }, () => limiter.take(userId).ok);
}

describe("write rate limiter", () => {
  test("a rested user may burst up to the per-minute budget, then is refused with a retry delay", () => {
    const clock = manualClock();
    const limiter = createWriteRateLimiter({ perMinute: 6, now: clock.now });
    expect(spend(limiter, "ada", 6)).toEqual([true, true, true, true, true, true]);
    // 6 per minute = one every 10 s
    expect(limiter.take("ada")).toEqual({ ok: false, retryAfterSeconds: 10 });
  });

  test("the bucket refills with time: one write per 60/perMinute seconds", () => {
    const clock = manualClock();
    const limiter = createWriteRateLimiter({ perMinute: 6, now: clock.now });
    spend(limiter, "ada", 6);
    clock.advance(4_000);
    expect(limiter.take("ada")).toEqual({ ok: false, retryAfterSeconds: 6 });
    clock.advance(6_000);
    expect(limiter.take("ada")).toEqual({ ok: true });
    expect(limiter.take("ada").ok).toBe(false);
    clock.advance(60_000);
    expect(spend(limiter, "ada", 7)).toEqual([true, true, true, true, true, true, false]);
  });

  test("refused attempts do not cost anything", () => {
    const clock = manualClock();
    const limiter = createWriteRateLimiter({ perMinute: 60, now: clock.now });
    spend(limiter, "ada", 60);
    for (let i = 0; i < 100; i++) expect(limiter.take("ada").ok).toBe(false);
    clock.advance(1_000);
    expect(limiter.take("ada").ok).toBe(true);
  });

  test("users have separate budgets", () => {
    const clock = manualClock();
    const limiter = createWriteRateLimiter({ perMinute: 2, now: clock.now });
    expect(spend(limiter, "ada", 3)).toEqual([true, true, false]);
    expect(spend(limiter, "bob", 2)).toEqual([true, true]);
  });

  test("users idle long enough to have a full bucket again are forgotten", () => {
    const clock = manualClock();
    const limiter = createWriteRateLimiter({ perMinute: 2, now: clock.now });
    for (let i = 0; i < 1_000; i++) limiter.take(`user-${i}`);
    expect(limiter.trackedUsers()).toBe(1_000);
    clock.advance(60_000);
    limiter.take("latecomer");
    expect(limiter.trackedUsers()).toBe(1);
  });

  test("never more than maxTrackedUsers are remembered; the least recently active go first", () => {
    const clock = manualClock();
    const limiter = createWriteRateLimiter({ perMinute: 2, now: clock.now, maxTrackedUsers: 3 });
    for (const user of ["u0", "u1", "u2", "u3"]) spend(limiter, user, 2);
    expect(limiter.trackedUsers()).toBe(3);
    // u0 was forgotten (a fresh budget); u2 and u3 are still remembered and limited.
    expect(limiter.take("u0").ok).toBe(true);
    expect(limiter.take("u3").ok).toBe(false);
    expect(limiter.take("u2").ok).toBe(false);
    expect(limiter.trackedUsers()).toBe(3);
  });

  test("a user idle for a minute starts again with a full budget", () => {
    const clock = manualClock();
    const limiter = createWriteRateLimiter({ perMinute: 3, now: clock.now });
    spend(limiter, "ada", 3);
    clock.advance(60_000);
    expect(spend(limiter, "ada", 4)).toEqual([true, true, true, false]);
  });

  test("a clock that steps backwards never grants extra writes", () => {
    const clock = manualClock();
    const limiter = createWriteRateLimiter({ perMinute: 2, now: clock.now });
    spend(limiter, "ada", 2);
    clock.advance(-30_000);
    expect(limiter.take("ada").ok).toBe(false);
    // back to where it was: no time has really passed for the bucket
    clock.advance(30_000);
    expect(limiter.take("ada").ok).toBe(false);
  });

  test("a budget below one write per minute is refused", () => {
    expect(() => createWriteRateLimiter({ perMinute: 0 })).toThrow();
  });
});

describe("takeWriteOrThrow", () => {
  test("answers 429 rate_limited with Retry-After once the budget is spent", async () => {
    const clock = manualClock();
    const limiter = createWriteRateLimiter({ perMinute: 1, now: clock.now });
    const app = new Elysia()
      .use(httpErrors(createMemoryLogger()))
      .post("/write", () => {
        takeWriteOrThrow(limiter, "ada");
        return { ok: true };
      });
    const write = () => app.handle(new Request("http://localhost/write", { method: "POST" }));
    expect((await write()).status).toBe(200);
    const refused = await write();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    clock.advance(60_000);
    expect((await write()).status).toBe(200);
  });
});
