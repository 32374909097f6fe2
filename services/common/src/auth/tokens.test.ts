import { describe, expect, test } from "bun:test";
import { SignJWT, UnsecuredJWT } from "jose";
import { createTokenService } from "./tokens.ts";

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
