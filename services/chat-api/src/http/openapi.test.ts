import { describe, expect, test } from "bun:test";
import { createMemoryLogger, httpErrors } from "@todo/common";
import { Elysia } from "elysia";
import { authRoutes } from "../auth/auth-routes.ts";
import { createTokenService } from "@todo/common";
import type { Database } from "@todo/common/db";
import { apiDocs, BEARER_SCHEME } from "./openapi.ts";

// Serving the document never touches the database.
const noDatabase = new Proxy({} as Database, {
  get: () => {
    throw new Error("the docs must not use the database");
  },
});

function buildApp() {
  const tokens = createTokenService("a-test-secret-that-is-long-enough-for-hs256");
  return new Elysia()
    .use(httpErrors(createMemoryLogger()))
    .get("/healthz", () => "ok")
    .get("/metrics", () => "")
    .post("/internal/series/:seriesId/occurrences", () => ({}))
    .post("/dapr/subscribe", () => [])
    .use(apiDocs())
    .use(authRoutes({ db: noDatabase, tokens, now: () => new Date(), throttle: { admit: async () => {}, succeeded: async () => {} } }))
    .get("/api/tasks", () => [], { detail: { tags: ["tasks"] } });
}

interface OpenApiDocument {
  openapi: string;
  security: Record<string, string[]>[];
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
  paths: Record<string, Record<string, { tags?: string[]; security?: unknown[] }>>;
}

describe("API docs", () => {
  test("/api/docs/json documents the account routes, with bearer auth except on signup and login", async () => {
    const response = await buildApp().handle(new Request("http://localhost/api/docs/json"));
    expect(response.status).toBe(200);
    const doc = (await response.json()) as OpenApiDocument;
    expect(doc.openapi).toStartWith("3.");
    expect(doc.components.securitySchemes[BEARER_SCHEME]).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ [BEARER_SCHEME]: [] }]);

    expect(doc.paths["/api/auth/signup"]?.post?.security).toEqual([]);
    expect(doc.paths["/api/auth/login"]?.post?.security).toEqual([]);
    // No per-operation override: the document-wide bearer requirement applies.
    expect(doc.paths["/api/me"]?.get?.security).toBeUndefined();
    expect(doc.paths["/api/me"]?.patch?.tags).toEqual(["auth"]);
    expect(doc.paths["/api/tasks"]?.get).toBeDefined();
  });

  test("health, metrics, Dapr and internal routes are not documented", async () => {
    const doc = (await (await buildApp().handle(new Request("http://localhost/api/docs/json"))).json()) as OpenApiDocument;
    const paths = Object.keys(doc.paths);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(path).toMatch(/^\/(api|mcp)\//);
  });

  test("/api/docs serves a browsable page that loads the document by its absolute path", async () => {
    const response = await buildApp().handle(new Request("http://localhost/api/docs"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const page = await response.text();
    expect(page).toContain("/api/docs/json");
    // Every script and stylesheet comes from this origin: no CDN, nothing inline.
    const sources = [...page.matchAll(/<(?:script|link)[^>]*(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source).toStartWith("/api/docs/");
    expect(page).not.toMatch(/<script(?![^>]*src=)[^>]*>/);
    expect(page).not.toContain("<style");
    for (const source of sources) {
      const asset = await buildApp().handle(new Request(`http://localhost${source}`));
      expect(asset.status).toBe(200);
    }
  });
});
