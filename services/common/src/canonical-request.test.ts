import { describe, expect, test } from "bun:test";
import { CANONICAL_ORIGIN, canonicalRequest, isValidHost } from "./canonical-request.ts";

const withHost = (url: string, host: string | undefined) =>
  new Request(url, { headers: host === undefined ? {} : { host } });

describe("canonicalRequest", () => {
  test("rebuilds an accepted request on one long origin, so Elysia's path slicing sees the whole path", () => {
    const result = canonicalRequest(withHost("http://x/api/internal/series/1?a=b", "x"));
    if (!result.ok) throw new Error("refused");
    expect(result.request.url).toBe(`${CANONICAL_ORIGIN}/api/internal/series/1?a=b`);
    expect(result.request.headers.get("host")).toBe("x");
    // Elysia reads the path from index 11 on; with this origin that is where the path starts.
    expect(result.request.url.slice(result.request.url.indexOf("/", 11))).toBe("/api/internal/series/1?a=b");
  });

  test("keeps the method, headers and body", async () => {
    const result = canonicalRequest(
      new Request("http://ab/api/tasks", { method: "POST", headers: { host: "ab", "content-type": "application/json" }, body: "{}" }),
    );
    if (!result.ok) throw new Error("refused");
    expect(result.request.method).toBe("POST");
    expect(await result.request.text()).toBe("{}");
  });

  test.each([undefined, "", "a b", "a/b", "[::1", "x:99999", "x:0", "x:", "u@x", "a, b", "[zz::1]", "x".repeat(254)])(
    "refuses Host %p with 400",
    async (host) => {
      const result = canonicalRequest(withHost("http://placeholder.local/healthz", host));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.response.status).toBe(400);
    },
  );

  test.each(["//api/tasks", "/api//tasks", "/api%2Ftasks", "/api/%2f..", "/api%5Ctasks", "/api/tasks/%00", "/a%1fb", "/a%7F"])(
    "refuses the path %p with 400",
    (path) => {
      const result = canonicalRequest(withHost(`http://example.com${path}`, "example.com"));
      expect(result.ok).toBe(false);
    },
  );

  test.each(["x", "localhost", "localhost:8080", "127.0.0.1:3500", "[::1]:3500", "[::1]", "todo.example.com", "my_host:1", "a.b."])(
    "accepts Host %p",
    (host) => expect(isValidHost(host)).toBe(true),
  );
});
