import { afterAll, beforeAll, beforeEach, describe, expect, spyOn, test } from "bun:test";
import { createMemoryLogger, httpErrors } from "@todo/common";
import { Elysia } from "elysia";
import type { Database } from "@todo/common/db";
import { testDatabases } from "@todo/testkit/databases";
import { createMemoryStateClient } from "@todo/testkit";
import { authRoutes } from "./auth-routes.ts";
import { createSignInThrottle } from "./sign-in-throttle.ts";
import { createTokenService } from "@todo/common";

const secret = "a-test-secret-that-is-long-enough-for-hs256";
// One database per file (opening one costs more than all these requests); tests stay apart by their emails.
const uniqueEmail = (local = "ada") => `${local}-${crypto.randomUUID().slice(0, 8)}@Example.com`;

interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

describe.each(testDatabases())("auth routes on $name", ({ open }) => {
  let db: Database;
  let clockMs: number;
  let app: ReturnType<typeof buildApp>;

  const now = () => new Date(clockMs);
  function buildApp() {
    const tokens = createTokenService(secret, { now });
    const throttle = createSignInThrottle({ dapr: createMemoryStateClient(), stateStore: "statestore", now });
    return new Elysia().use(httpErrors(createMemoryLogger())).use(authRoutes({ db, tokens, now, throttle }));
  }

  async function call(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; token?: string } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await app.handle(new Request(`http://localhost${path}`, { method, headers, body }));
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }
  const signup = (body: unknown) => call("POST", "/api/auth/signup", { body });
  const login = (body: unknown) => call("POST", "/api/auth/login", { body });
  /** Signs up, then in: signup itself never hands out a session. */
  const signupAndLogin = async (body: { email: string; password: string; name?: string }) => {
    expect((await signup(body)).status).toBe(202);
    return await login({ email: body.email, password: body.password });
  };
  const userCount = async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM users"))[0]?.n;

  beforeAll(async () => {
    db = await open();
    app = buildApp();
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(() => {
    clockMs = Date.parse("2030-03-01T09:00:00Z");
  });

  describe("signup", () => {
    test("creates the account, answering 202 without a session; signing in then identifies it", async () => {
      const email = uniqueEmail();
      const reply = await signup({ email: `  ${email} `, password: "correct horse", name: "  Ada Lovelace " });
      expect(reply.status).toBe(202);
      expect(reply.body).toEqual({ status: "accepted", message: expect.any(String) });
      const session = await login({ email, password: "correct horse" });
      expect(session.status).toBe(200);
      expect(session.body.user).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/),
        email,
        name: "Ada Lovelace",
        timeZone: "UTC",
        createdAt: "2030-03-01T09:00:00.000Z",
      });
      const me = await call("GET", "/api/me", { token: session.body.token });
      expect(me.status).toBe(200);
      expect(me.body).toEqual(session.body.user);
    });

    test("stores a password hash, never the password", async () => {
      const { body } = await signupAndLogin({ email: uniqueEmail(), password: "correct horse" });
      const [row] = await db.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE id = $1", [body.user.id]);
      expect(row?.password_hash).toStartWith("$argon2id$");
      expect(row?.password_hash).not.toContain("correct horse");
    });

    test("a taken email, whatever its case or surrounding spaces, answers exactly like a new one and changes nothing", async () => {
      const email = uniqueEmail();
      const fresh = await signup({ email, password: "first horse saddle" });
      const before = await db.query("SELECT * FROM users ORDER BY id");
      for (const again of [email, ` ${email.toUpperCase()} `, email.toLowerCase()]) {
        const reply = await signup({ email: again, password: "second horse saddle", name: "Mallory" });
        expect({ status: reply.status, body: reply.body }).toEqual({ status: fresh.status, body: fresh.body });
        expect(reply.headers.get("content-type")).toBe(fresh.headers.get("content-type"));
      }
      expect(await db.query("SELECT * FROM users ORDER BY id")).toEqual(before);
      // The first password still signs in; the attacker's does not.
      expect((await login({ email, password: "first horse saddle" })).status).toBe(200);
      expect((await login({ email, password: "second horse saddle" })).status).toBe(401);
      // Each signup and sign-in pays a real argon2id hash.
    }, 30_000);

    test("a taken email still costs a password hash, so timing does not tell it apart", async () => {
      const email = uniqueEmail();
      await signup({ email, password: "first horse saddle" });
      const hash = spyOn(Bun.password, "hash");
      try {
        await signup({ email, password: "second horse saddle" });
        await signup({ email: uniqueEmail(), password: "second horse saddle" });
        expect(hash).toHaveBeenCalledTimes(2);
      } finally {
        hash.mockRestore();
      }
    });

    test("two simultaneous signups with one email: both answer 202, one account exists, never a 500", async () => {
      const email = uniqueEmail("race");
      const before = await userCount();
      const replies = await Promise.all([
        signup({ email, password: "first horse saddle" }),
        signup({ email: email.toUpperCase(), password: "second horse saddle" }),
      ]);
      expect(replies.map((reply) => reply.status)).toEqual([202, 202]);
      expect(await userCount()).toBe(before! + 1);
    });

    test.each([
      ["a top-ten password", "password"],
      ["digits in a row", "12345678"],
      ["one repeated letter", "aaaaaaaa"],
      ["a common password with a digit", "password1"],
      ["a keyboard walk", "qwertyuiop"],
      ["a common password with small changes", "P@ssw0rd!"],
      ["a common word twice", "monkeymonkey"],
    ])("%s (%p) is refused with a 400 naming the password, and creates nothing", async (_, password) => {
      const before = await userCount();
      const reply = await signup({ email: uniqueEmail("weak"), password });
      expect(reply.status).toBe(400);
      expect(reply.body.error.details).toEqual([{ path: "/password", message: expect.stringContaining("too easy to guess") }]);
      expect(await userCount()).toBe(before);
    });

    test.each([
      ["the whole address", (email: string) => email],
      ["its name part", (email: string) => email.split("@")[0]!],
      ["its name part with other punctuation and case", (email: string) => `${email.split("@")[0]!.toUpperCase().replace(".", "_")}!2030`],
    ])("a password made of %s is refused", async (_, passwordOf) => {
      const email = `ada.lovelace.${crypto.randomUUID().slice(0, 6)}@example.com`;
      const reply = await signup({ email, password: passwordOf(email) });
      expect(reply.status).toBe(400);
      expect(reply.body.error.details[0].path).toBe("/password");
    });

    test.each([
      ["no @", { email: "ada.example.com", password: "password-1" }, "/email"],
      ["no dotted domain", { email: "ada@localhost", password: "password-1" }, "/email"],
      ["spaces inside the email", { email: "ada lovelace@example.com", password: "password-1" }, "/email"],
      ["an email over 254 characters", { email: `${"a".repeat(243)}@example.com`, password: "password-1" }, "/email"],
      ["a 7-character password", { email: "seven@example.com", password: "1234567" }, "/password"],
      ["a password over 1024 characters", { email: "long@example.com", password: "p".repeat(1025) }, "/password"],
      ["a name over 100 characters", { email: "name@example.com", password: "password-1", name: "n".repeat(101) }, "/name"],
      ["a missing password", { email: "missing@example.com" }, "/password"],
      ["a number for the email", { email: 42, password: "password-1" }, "/email"],
      ["an unknown field", { email: "admin@example.com", password: "password-1", admin: true }, "/admin"],
      // PostgreSQL cannot store a NUL byte: it must be a 400, not a database error
      ["a NUL byte in the name", { email: "nul@example.com", password: "password-1", name: "a\u0000b" }, "/name"],
      ["a NUL byte in the email", { email: "nul\u0000@example.com", password: "password-1" }, "/email"],
      ["a lone surrogate in the email", { email: "\ud800@example.com", password: "password-1" }, "/email"],
    ])("%s answers 400 and creates nothing", async (_, body, path) => {
      const before = await userCount();
      const reply = await signup(body);
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe("invalid_request");
      expect(reply.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
      expect(await userCount()).toBe(before);
    });

    test("an email of exactly 254 characters and a password of exactly 8 are accepted", async () => {
      const email = `${crypto.randomUUID()}${"a".repeat(206)}@example.com`;
      expect(email.length).toBe(254);
      expect((await signupAndLogin({ email, password: "zq8-Lm2x" })).status).toBe(200);
    });

    test.each([
      ["invalid JSON", '{"email":'],
      ["a JSON array", "[]"],
      ["JSON null", "null"],
      ["an empty body", ""],
    ])("%s answers 400 with the error shape", async (_, raw) => {
      const before = await userCount();
      const reply = await call("POST", "/api/auth/signup", { raw });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBeString();
      expect(await userCount()).toBe(before);
    });
  });

  describe("login", () => {
    let email: string;
    beforeAll(async () => {
      email = uniqueEmail();
      expect((await signup({ email, password: "correct horse" })).status).toBe(202);
    });

    test("the right password, in any email case, returns a token for the account", async () => {
      const reply = await login({ email: ` ${email.toUpperCase()}`, password: "correct horse" });
      expect(reply.status).toBe(200);
      expect(reply.body.user.email).toBe(email);
      const me = await call("GET", "/api/me", { token: reply.body.token });
      expect(me.body.id).toBe(reply.body.user.id);
    });

    test("a wrong password and an unknown email get the same 401", async () => {
      const wrongPassword = await login({ email, password: "battery staple" });
      const unknownEmail = await login({ email: uniqueEmail("bob"), password: "correct horse" });
      expect(wrongPassword.status).toBe(401);
      expect(unknownEmail.status).toBe(401);
      expect(unknownEmail.body).toEqual(wrongPassword.body);
      expect(wrongPassword.body.error.code).toBe("invalid_credentials");
    });

    test("an unknown email still costs a password verification, so timing does not reveal accounts", async () => {
      const verify = spyOn(Bun.password, "verify");
      try {
        expect((await login({ email: uniqueEmail("nobody"), password: "whatever-1" })).status).toBe(401);
        expect(verify).toHaveBeenCalledTimes(1);
      } finally {
        verify.mockRestore();
      }
    });

    test("an email no account could have (NUL byte, not an address) gets the same 401", async () => {
      for (const odd of ["nul\u0000@example.com", "not an email"]) {
        const reply = await login({ email: odd, password: "correct horse" });
        expect(reply.status).toBe(401);
        expect(reply.body.error.code).toBe("invalid_credentials");
      }
    });

    test("a malformed login body answers 400", async () => {
      expect((await login({ email })).status).toBe(400);
      expect((await login({ email, password: "x".repeat(1025) })).status).toBe(400);
      expect((await login({ email, password: "correct horse", remember: true })).status).toBe(400);
    });
  });

  describe("me", () => {
    let token: string;
    beforeEach(async () => {
      token = (await signupAndLogin({ email: uniqueEmail(), password: "correct horse", name: "Ada" })).body.token;
    });

    test("without a token answers 401", async () => {
      const reply = await call("GET", "/api/me");
      expect(reply.status).toBe(401);
      expect(reply.body.error.code).toBe("unauthorized");
    });

    test("a token stops working after 7 days", async () => {
      clockMs += 7 * 24 * 3600 * 1000 - 1000;
      expect((await call("GET", "/api/me", { token })).status).toBe(200);
      clockMs += 1000;
      expect((await call("GET", "/api/me", { token })).status).toBe(401);
    });

    test("a valid token of an account that does not exist answers 401", async () => {
      const stranger = await createTokenService(secret, { now }).issue({ id: Bun.randomUUIDv7(), email: "x@example.com" });
      expect((await call("GET", "/api/me", { token: stranger })).status).toBe(401);
      expect((await call("PATCH", "/api/me", { token: stranger, body: { name: "X" } })).status).toBe(401);
    });

    test("PATCH changes the name and time zone (canonical spelling) and GET shows it", async () => {
      const reply = await call("PATCH", "/api/me", { token, body: { name: "  Countess ", timeZone: "asia/karachi" } });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ name: "Countess", timeZone: "Asia/Karachi" });
      expect((await call("GET", "/api/me", { token })).body).toEqual(reply.body);
    });

    test("PATCH changes only the fields it carries; a blank or null name clears it", async () => {
      await call("PATCH", "/api/me", { token, body: { timeZone: "Europe/Paris" } });
      expect((await call("GET", "/api/me", { token })).body).toMatchObject({ name: "Ada", timeZone: "Europe/Paris" });
      expect((await call("PATCH", "/api/me", { token, body: { name: "   " } })).body.name).toBeNull();
      await call("PATCH", "/api/me", { token, body: { name: "Ada" } });
      expect((await call("PATCH", "/api/me", { token, body: { name: null } })).body).toMatchObject({
        name: null,
        timeZone: "Europe/Paris",
      });
      expect((await call("PATCH", "/api/me", { token, body: {} })).status).toBe(200);
    });

    test("PATCH by one user leaves other accounts alone", async () => {
      const other = (await signupAndLogin({ email: uniqueEmail("bob"), password: "correct horse", name: "Bob" })).body.token;
      await call("PATCH", "/api/me", { token, body: { name: "Changed", timeZone: "Asia/Tokyo" } });
      expect((await call("GET", "/api/me", { token: other })).body).toMatchObject({ name: "Bob", timeZone: "UTC" });
    });

    test.each([
      ["an unknown zone", { timeZone: "Mars/Olympus_Mons" }, "/timeZone"],
      ["a fixed offset", { timeZone: "+05:00" }, "/timeZone"],
      ["an empty zone", { timeZone: "" }, "/timeZone"],
      ["a misspelt field", { timezone: "Europe/Paris" }, "/timezone"],
      ["a long name", { name: "n".repeat(101) }, "/name"],
      ["a NUL byte in the name", { name: "Ada\u0000" }, "/name"],
      ["a control character in the name", { name: "Ada\u001b[31m" }, "/name"],
      ["a right-to-left override in the name", { name: "Ada\u202Eecnalevol" }, "/name"],
    ])("PATCH with %s answers 400 and changes nothing", async (_, body, path) => {
      const before = (await call("GET", "/api/me", { token })).body;
      const reply = await call("PATCH", "/api/me", { token, body });
      expect(reply.status).toBe(400);
      expect(reply.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
      expect((await call("GET", "/api/me", { token })).body).toEqual(before);
    });

    test("PATCH without a token answers 401", async () => {
      expect((await call("PATCH", "/api/me", { body: { name: "X" } })).status).toBe(401);
    });
  });
});
