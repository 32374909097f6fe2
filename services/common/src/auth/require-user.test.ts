import { describe, expect, test } from "bun:test";
import { httpErrors } from "../http-errors.ts";
import { createMemoryLogger } from "../logger.ts";
import { Elysia } from "elysia";
import { bearerToken, requireUser } from "./require-user.ts";
import { createTokenService } from "./tokens.ts";

const tokens = createTokenService("a-test-secret-that-is-long-enough-for-hs256");
const user = { id: "0190f6a4-7c1e-7a2b-8c3d-4e5f60718293", email: "ada@example.com" };

function buildApp() {
  const guarded = new Elysia()
    .get("/open", () => "anyone")
    .use(requireUser(tokens))
    .get("/whoami", ({ userId }) => ({ userId }));
  return new Elysia().use(httpErrors(createMemoryLogger())).use(guarded).get("/sibling", () => "not guarded");
}

const get = (app: ReturnType<typeof buildApp>, path: string, authorization?: string) =>
  app.handle(new Request(`http://localhost${path}`, { headers: authorization ? { authorization } : {} }));

describe("requireUser", () => {
  test("a valid bearer token resolves the caller's id", async () => {
    const response = await get(buildApp(), "/whoami", `Bearer ${await tokens.issue(user)}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ userId: user.id });
  });

  test("the scheme name is case-insensitive", async () => {
    const response = await get(buildApp(), "/whoami", `bearer ${await tokens.issue(user)}`);
    expect(response.status).toBe(200);
  });

  test.each([
    ["no Authorization header", undefined],
    ["an empty header", ""],
    ["another scheme", "Basic YWRhOnNlY3JldA=="],
    ["the scheme without a token", "Bearer "],
    ["a token with spaces", "Bearer a b"],
    ["a token that is not ours", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"],
  ])("%s answers 401 with the error shape", async (_, authorization) => {
    const response = await get(buildApp(), "/whoami", authorization);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toStartWith("Bearer");
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unauthorized");
    expect(body.error.message).toBeString();
  });

  test("routes registered before the guard, and outside its plugin, stay open", async () => {
    const app = buildApp();
    expect((await get(app, "/open")).status).toBe(200);
    expect((await get(app, "/sibling")).status).toBe(200);
  });

  test("two plugins guarded with it in one app each resolve the caller", async () => {
    const first = new Elysia().use(requireUser(tokens)).get("/a", ({ userId }) => userId);
    const second = new Elysia().use(requireUser(tokens)).get("/b", ({ userId }) => userId);
    const app = new Elysia().use(httpErrors(createMemoryLogger())).use(first).use(second);
    const authorization = `Bearer ${await tokens.issue(user)}`;
    for (const path of ["/a", "/b"]) {
      const response = await app.handle(new Request(`http://localhost${path}`, { headers: { authorization } }));
      expect(await response.text()).toBe(user.id);
      expect((await app.handle(new Request(`http://localhost${path}`))).status).toBe(401);
    }
  });
});

describe("bearerToken", () => {
  test("extracts the token and nothing else", () => {
    expect(bearerToken("Bearer abc.def-ghi_jkl")).toBe("abc.def-ghi_jkl");
    expect(bearerToken("BEARER  abc")).toBe("abc");
    expect(bearerToken("Bearerabc")).toBeUndefined();
    expect(bearerToken("Token abc")).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
