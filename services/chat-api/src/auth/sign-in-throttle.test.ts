import { afterAll, beforeAll, describe, expect, spyOn, test } from "bun:test";
import { createMemoryLogger, createTokenService, httpErrors } from "@todo/common";
import type { Database } from "@todo/common/db";
import { testDatabases } from "@todo/testkit/databases";
import { createMemoryStateClient, type MemoryStateClient } from "@todo/testkit";
import { Elysia } from "elysia";
import { authRoutes } from "./auth-routes.ts";
import { ACCOUNT_POLICY, admitAttempt, createSignInThrottle, refundAttempt, type AttemptRecord } from "./sign-in-throttle.ts";

const secret = "a-test-secret-that-is-long-enough-for-hs256";
const PASSWORD = "correct horse battery";
// Each sign-in pays a real argon2id verification (on purpose: that is what a guesser pays).
const SLOW = 60_000;

describe("the back-off rule", () => {
  test("five failures are free, then each one doubles the wait, up to 15 minutes", () => {
    let record: AttemptRecord | undefined;
    let now = 0;
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 20; attempt++) {
      const admission = admitAttempt(record, now, ACCOUNT_POLICY);
      if (!admission.ok) throw new Error(`attempt ${attempt} refused`);
      record = admission.next;
      waits.push(record.lockedUntil === 0 ? 0 : record.lockedUntil - now);
      now = Math.max(now, record.lockedUntil);
    }
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(waits.slice(5, 10)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    expect(waits.at(-1)).toBe(15 * 60_000);
  });

  test("an attempt inside the wait is refused with the time left, and changes nothing", () => {
    const record = { failures: 7, lockedUntil: 10_000, lastAt: 6_000 };
    expect(admitAttempt(record, 7_500, ACCOUNT_POLICY)).toEqual({ ok: false, retryAfterMs: 2_500 });
  });

  test("a key left alone for an hour starts again from nothing", () => {
    const record = { failures: 12, lockedUntil: 1_000_000, lastAt: 0 };
    expect(admitAttempt(record, 60 * 60_000, ACCOUNT_POLICY)).toEqual({ ok: true, next: { failures: 1, lockedUntil: 0, lastAt: 60 * 60_000 } });
  });

  test("a refund gives back one attempt and lifts a wait it no longer deserves", () => {
    expect(refundAttempt({ failures: 6, lockedUntil: 5_000, lastAt: 4_000 }, ACCOUNT_POLICY)).toEqual({ failures: 5, lockedUntil: 0, lastAt: 4_000 });
    expect(refundAttempt({ failures: 9, lockedUntil: 5_000, lastAt: 4_000 }, ACCOUNT_POLICY)).toEqual({ failures: 8, lockedUntil: 5_000, lastAt: 4_000 });
  });
});

/**
 * The attacks, through the real routes: a guesser hammering one account, a
 * sprayer trying many accounts from one address, parallel guesses, and
 * guesses spread over two replicas that share Dapr state.
 */
describe.each(testDatabases())("sign-in throttling on $name", ({ open }) => {
  let db: Database;
  let clockMs = Date.parse("2030-03-01T09:00:00Z");
  const now = () => new Date(clockMs);

  function replica(state: MemoryStateClient) {
    const tokens = createTokenService(secret, { now });
    const throttle = createSignInThrottle({ dapr: state, stateStore: "statestore", now });
    return new Elysia().use(httpErrors(createMemoryLogger())).use(authRoutes({ db, tokens, now, throttle }));
  }
  type App = ReturnType<typeof replica>;

  async function login(app: App, email: string, password: string, address = "203.0.113.7") {
    const response = await app.handle(
      new Request("http://localhost/api/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": address },
        body: JSON.stringify({ email, password }),
      }),
    );
    return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as any };
  }

  async function newAccount(app: App): Promise<string> {
    const email = `ada-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const response = await app.handle(
      new Request("http://localhost/api/auth/signup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: PASSWORD }),
      }),
    );
    expect(response.status).toBe(202);
    return email;
  }
  const address = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  }, SLOW);

  test("40 wrong passwords in a row: after five, 429 with Retry-After, and the wait doubles", async () => {
    const app = replica(createMemoryStateClient());
    const email = await newAccount(app);
    const from = address();
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await login(app, email, `wrong guess ${i}`, from)).status);
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(statuses.slice(6).every((status) => status === 429)).toBe(true);

    const refused = await login(app, email, "another guess", from);
    expect(refused.body.error.code).toBe("too_many_attempts");
    expect(refused.retryAfter).toBe("1");
    // Waiting out each Retry-After buys one more guess, and the next wait is twice as long.
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      clockMs += Number((await login(app, email, "guess", from)).retryAfter) * 1000;
      expect((await login(app, email, `guess after waiting ${i}`, from)).status).toBe(401);
      waits.push(Number((await login(app, email, "too soon", from)).retryAfter));
    }
    expect(waits).toEqual([2, 4, 8, 16]);
  }, SLOW);

  test("while the account must wait, even the right password is refused (nothing is checked)", async () => {
    const app = replica(createMemoryStateClient());
    const email = await newAccount(app);
    const from = address();
    for (let i = 0; i < 6; i++) await login(app, email, `wrong ${i}`, from);
    const verify = spyOn(Bun.password, "verify");
    try {
      expect((await login(app, email, PASSWORD, from)).status).toBe(429);
      expect(verify).not.toHaveBeenCalled();
    } finally {
      verify.mockRestore();
    }
    clockMs += 1000;
    expect((await login(app, email, PASSWORD, from)).status).toBe(200);
  }, SLOW);

  test("an email without an account is throttled exactly like one with: the answers do not tell them apart", async () => {
    const app = replica(createMemoryStateClient());
    const known = await newAccount(app);
    const unknown = `nobody-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const run = async (email: string) => {
      const answers: unknown[] = [];
      for (let i = 0; i < 9; i++) {
        const reply = await login(app, email, `wrong ${i}`, address());
        answers.push([reply.status, reply.retryAfter, reply.body]);
      }
      return answers;
    };
    expect(await run(unknown)).toEqual(await run(known));
  }, SLOW);

  test("a successful sign-in resets the account's count", async () => {
    const app = replica(createMemoryStateClient());
    const email = await newAccount(app);
    const from = address();
    for (let i = 0; i < 5; i++) expect((await login(app, email, `typo ${i}`, from)).status).toBe(401);
    expect((await login(app, email, PASSWORD, from)).status).toBe(200);
    // Five free failures again, not one.
    for (let i = 0; i < 5; i++) expect((await login(app, email, `typo again ${i}`, from)).status).toBe(401);
    expect((await login(app, email, PASSWORD, from)).status).toBe(200);
  }, SLOW);

  test("one address spraying many accounts is slowed down, other addresses are not", async () => {
    const app = replica(createMemoryStateClient());
    const sprayer = "192.0.2.66";
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await login(app, `victim-${i}-${crypto.randomUUID()}@example.com`, "password1", sprayer)).status);
    expect(statuses.slice(0, 21).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(21).every((status) => status === 429)).toBe(true);
    // A person elsewhere signs in as usual.
    const email = await newAccount(app);
    expect((await login(app, email, PASSWORD, "192.0.2.99")).status).toBe(200);
    // Signing into one's own account does not launder the sprayer's count.
    const own = await newAccount(app);
    clockMs += 60_000;
    expect((await login(app, own, PASSWORD, sprayer)).status).toBe(200);
    const next = await login(app, `victim-again-${crypto.randomUUID()}@example.com`, "password1", sprayer);
    expect(next.status).toBe(429);
    // After the wait: one more guess, then a longer wait.
    clockMs += Number(next.retryAfter) * 1000;
    expect((await login(app, `victim-again-${crypto.randomUUID()}@example.com`, "password1", sprayer)).status).toBe(401);
    expect((await login(app, `victim-again-${crypto.randomUUID()}@example.com`, "password1", sprayer)).status).toBe(429);
  }, SLOW);

  test("30 guesses sent at once do not all get checked", async () => {
    const app = replica(createMemoryStateClient());
    const email = await newAccount(app);
    const verify = spyOn(Bun.password, "verify");
    try {
      const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => login(app, email, `parallel ${i}`, address())));
      expect(replies.every((reply) => reply.status === 401 || reply.status === 429)).toBe(true);
      expect(verify.mock.calls.length).toBeLessThanOrEqual(6);
      expect(replies.filter((reply) => reply.status === 429).length).toBeGreaterThanOrEqual(24);
    } finally {
      verify.mockRestore();
    }
  }, SLOW);

  test("two replicas sharing Dapr state share the count: spreading guesses over them does not help", async () => {
    const state = createMemoryStateClient();
    const [a, b] = [replica(state), replica(state)];
    const email = await newAccount(a);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await login(i % 2 ? a : b, email, `wrong ${i}`, address())).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429, 429, 429]);
    // And the keys in the store name no email address.
    const keys = [...(state.stores.get("statestore")?.keys() ?? [])];
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.some((key) => key.includes("@") || key.includes(email.split("@")[0]!))).toBe(false);
  }, SLOW);

  test("when the state store is down, sign-in answers 503 and checks no password", async () => {
    const state = createMemoryStateClient();
    const app = replica(state);
    const email = await newAccount(app);
    state.failReads = new Error("connection refused");
    const reply = await login(app, email, PASSWORD, address());
    expect(reply.status).toBe(503);
    expect(reply.body.error.code).toBe("sign_in_unavailable");
  }, SLOW);
});
