import { describe, expect, test } from "bun:test";
import { decodeProtectedHeader, SignJWT, UnsecuredJWT } from "jose";
import { createTokenService, keyIdOf } from "./tokens.ts";

const secret = "a-test-secret-that-is-long-enough-for-hs256";
const user = { id: "0190f6a4-7c1e-7a2b-8c3d-4e5f60718293", email: "ada@example.com" };

function clock(start: string) {
  let at = new Date(start).getTime();
  return { now: () => new Date(at), advance: (seconds: number) => void (at += seconds * 1000) };
}

describe("token service", () => {
  test("a token it issued verifies to the user's id", async () => {
    const tokens = createTokenService(secret);
    expect(await tokens.verify(await tokens.issue(user))).toEqual({ userId: user.id });
  });

  test("a token is valid for 7 days and not a second longer", async () => {
    const time = clock("2030-01-01T00:00:00Z");
    const tokens = createTokenService(secret, { now: time.now });
    const token = await tokens.issue(user);
    time.advance(7 * 24 * 3600 - 1);
    expect(await tokens.verify(token)).toEqual({ userId: user.id });
    time.advance(1);
    expect(await tokens.verify(token)).toBeUndefined();
  });

  test("a shorter ttl is honoured", async () => {
    const time = clock("2030-01-01T00:00:00Z");
    const tokens = createTokenService(secret, { now: time.now, ttlSeconds: 60 });
    const token = await tokens.issue(user);
    time.advance(60);
    expect(await tokens.verify(token)).toBeUndefined();
  });

  test("a token signed with another secret is rejected", async () => {
    const other = createTokenService(`${secret}-other`);
    expect(await createTokenService(secret).verify(await other.issue(user))).toBeUndefined();
  });

  test("a tampered payload is rejected", async () => {
    const tokens = createTokenService(secret);
    const [header, , signature] = (await tokens.issue(user)).split(".");
    const forged = Buffer.from(
      JSON.stringify({ sub: "0190f6a4-0000-7000-8000-000000000000", iss: "todo-chat-api", aud: "todo", exp: 4102444800 }),
    ).toString("base64url");
    expect(await tokens.verify(`${header}.${forged}.${signature}`)).toBeUndefined();
  });

  test("an unsigned (alg: none) token is rejected", async () => {
    const unsigned = new UnsecuredJWT({})
      .setSubject(user.id)
      .setIssuer("todo-chat-api")
      .setAudience("todo")
      .setExpirationTime("1h")
      .encode();
    expect(await createTokenService(secret).verify(unsigned)).toBeUndefined();
  });

  test("a correctly signed token for another issuer or audience is rejected", async () => {
    const key = new TextEncoder().encode(secret);
    const sign = (iss: string, aud: string) =>
      new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(user.id).setIssuer(iss).setAudience(aud).setExpirationTime("1h").sign(key);
    const tokens = createTokenService(secret);
    expect(await tokens.verify(await sign("someone-else", "todo"))).toBeUndefined();
    expect(await tokens.verify(await sign("todo-chat-api", "another-app"))).toBeUndefined();
  });

  test("a signed token whose subject is not a user id is rejected", async () => {
    const key = new TextEncoder().encode(secret);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("'; DROP TABLE users; --")
      .setIssuer("todo-chat-api")
      .setAudience("todo")
      .setExpirationTime("1h")
      .sign(key);
    expect(await createTokenService(secret).verify(token)).toBeUndefined();
  });

  test("garbage is rejected without throwing", async () => {
    const tokens = createTokenService(secret);
    for (const garbage of ["", "abc", "a.b.c", "....", "x".repeat(10_000)]) {
      expect(await tokens.verify(garbage)).toBeUndefined();
    }
  });

  test("a secret too short for HS256 is refused at start-up", () => {
    expect(() => createTokenService("short")).toThrow(/at least 32 characters/);
  });
});

describe("token lifetime", () => {
  const key = new TextEncoder().encode(secret);
  const time = clock("2030-01-01T00:00:00Z");
  const nowSeconds = () => Math.floor(time.now().getTime() / 1000);
  const tokens = createTokenService(secret, { now: time.now });
  /** A token signed with our key, as someone holding the key (or a bug) might mint it. */
  const mint = (claims: { iat?: number; exp: number }) => {
    const jwt = new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(user.id).setIssuer("todo-chat-api").setAudience("todo");
    if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
    return jwt.setExpirationTime(claims.exp).sign(key);
  };

  test("a token valid for 100 years is rejected", async () => {
    expect(await tokens.verify(await mint({ iat: nowSeconds(), exp: nowSeconds() + 100 * 365 * 86_400 }))).toBeUndefined();
  });

  test("a token issued in the future is rejected; a minute of clock skew is tolerated", async () => {
    expect(await tokens.verify(await mint({ iat: nowSeconds() + 3600, exp: nowSeconds() + 7200 }))).toBeUndefined();
    expect(await tokens.verify(await mint({ iat: nowSeconds() + 30, exp: nowSeconds() + 3600 }))).toEqual({ userId: user.id });
  });

  test("a token without iat is rejected", async () => {
    expect(await tokens.verify(await mint({ exp: nowSeconds() + 3600 }))).toBeUndefined();
  });

  test("a token of exactly the granted lifetime is accepted", async () => {
    expect(await tokens.verify(await mint({ iat: nowSeconds(), exp: nowSeconds() + 7 * 86_400 }))).toEqual({ userId: user.id });
    expect(await tokens.verify(await mint({ iat: nowSeconds(), exp: nowSeconds() + 7 * 86_400 + 1 }))).toBeUndefined();
  });
});

describe("key rotation", () => {
  const oldSecret = "the-old-secret-that-is-long-enough-for-hs256";
  const newSecret = "the-new-secret-that-is-long-enough-for-hs256";

  test("a token names its key in the kid header", async () => {
    const token = await createTokenService(newSecret).issue(user);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "HS256", kid: keyIdOf(newSecret) });
    expect(keyIdOf(newSecret)).not.toBe(keyIdOf(oldSecret));
    expect(keyIdOf(newSecret)).not.toContain(newSecret.slice(0, 8));
  });

  test("during a rollover tokens of the old key still verify and new tokens use the new key; afterwards old ones stop", async () => {
    const before = await createTokenService(oldSecret).issue(user);
    const rollover = createTokenService({ current: newSecret, previous: oldSecret });
    expect(await rollover.verify(before)).toEqual({ userId: user.id });
    const after = await rollover.issue(user);
    expect(decodeProtectedHeader(after).kid).toBe(keyIdOf(newSecret));
    expect(await rollover.verify(after)).toEqual({ userId: user.id });
    // A replica not yet rolled over still holds only the old key: it cannot check new tokens, and says so with a 401, not a crash.
    expect(await createTokenService(oldSecret).verify(after)).toBeUndefined();
    // Once the previous key is dropped, its tokens are refused.
    const finished = createTokenService(newSecret);
    expect(await finished.verify(before)).toBeUndefined();
    expect(await finished.verify(after)).toEqual({ userId: user.id });
  });

  test("tokens from before kids existed verify with either key during a rollover", async () => {
    const legacy = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(user.id)
      .setIssuer("todo-chat-api")
      .setAudience("todo")
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(oldSecret));
    expect(await createTokenService({ current: newSecret, previous: oldSecret }).verify(legacy)).toEqual({ userId: user.id });
  });

  test("a kid naming a key we do not hold, or a token signed by one key under the other's kid, is rejected", async () => {
    const rollover = createTokenService({ current: newSecret, previous: oldSecret });
    const sign = (secretUsed: string, kid: string) =>
      new SignJWT({})
        .setProtectedHeader({ alg: "HS256", kid })
        .setSubject(user.id)
        .setIssuer("todo-chat-api")
        .setAudience("todo")
        .setIssuedAt()
        .setExpirationTime("1h")
        .sign(new TextEncoder().encode(secretUsed));
    const stranger = "a-stranger-secret-that-is-long-enough-for-hs256";
    expect(await rollover.verify(await sign(stranger, keyIdOf(stranger)))).toBeUndefined();
    expect(await rollover.verify(await sign(stranger, keyIdOf(newSecret)))).toBeUndefined();
    expect(await rollover.verify(await sign(oldSecret, keyIdOf(newSecret)))).toBeUndefined();
  });
});
