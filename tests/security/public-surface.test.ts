import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import fc from "fast-check";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedHost, type EmbeddedHost, type HostedAppRoutes } from "@todo/embedded/host";
import { rawRequest, requestHead, type RawResponse } from "./raw-http.ts";

/**
 * The public port of `bun start` as an attacker sees it: every route of
 * every hosted app (the Dapr-facing ones included) under every trick that
 * once made two layers disagree about a request's path (a Host of 1-3
 * characters, absolute-form targets, `//`, encoded slashes, `..`, case),
 * and every malformed Host. No internal route may answer and nothing may
 * answer 5xx.
 */
setDefaultTimeout(120_000);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 400);
const SITE_404 = "site-not-found-page";

let dataDir: string;
let host: EmbeddedHost;
let port: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "todo-surface-"));
  const siteDir = join(dataDir, "site");
  mkdirSync(siteDir);
  writeFileSync(join(siteDir, "index.html"), "<!doctype html><title>home</title>");
  writeFileSync(join(siteDir, "404.html"), `<!doctype html><title>${SITE_404}</title>`);
  host = await startEmbeddedHost({
    port: 0,
    host: "127.0.0.1",
    dataDir: join(dataDir, "data"),
    daprHttpPort: 0,
    logLevel: "error",
    siteDir,
  });
  port = Number(new URL(host.url).port);
});

afterAll(async () => {
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Routes only daprd (or the runtime) should reach: everything an app serves outside the prefixes the public port forwards to it. */
function internalRoutes(apps: HostedAppRoutes[]) {
  return apps.flatMap(({ appId, publicPaths, routes }) =>
    routes
      .filter(({ path }) => !publicPaths.some((prefix) => path === prefix || path.startsWith(prefix + "/")))
      .filter(({ path }) => !["/healthz", "/readyz", "/metrics"].includes(path))
      .map((route) => ({ appId, ...route, filled: fillParams(route.path) })),
  );
}

function allRoutes(apps: HostedAppRoutes[]) {
  return apps.flatMap(({ appId, routes }) => routes.map((route) => ({ appId, ...route, filled: fillParams(route.path) })));
}

function fillParams(path: string): string {
  return path.replace(/:[A-Za-z]+\??/g, "0190f0a0-0000-7000-8000-000000000001").replace(/\*/g, "x");
}

/** What an internal route's own code would answer: its guard, a subscription list or a delivery status. */
function answeredByInternalRoute(response: RawResponse): boolean {
  return (
    /dapr app token|dapr-api-token|job triggers need/i.test(response.body) ||
    /"status"\s*:\s*"(SUCCESS|RETRY|DROP)"/.test(response.body) ||
    /"pubsubname"/.test(response.body)
  );
}

const PUBLIC_PREFIXES = ["", "/api", "/mcp", "/ws", "/api/audit", "/a", "/ab", "/abc", "/v1.0/healthz"];

/** Ways to write "prefix, then path" that some layer might read as just "path". */
const pathForms: ((prefix: string, path: string) => string)[] = [
  (prefix, path) => prefix + path,
  (prefix, path) => `${prefix}/${path}`,
  (prefix, path) => `${prefix}/..${path}`,
  (prefix, path) => `${prefix}/%2e%2e${path}`,
  (prefix, path) => `${prefix}/.%2E/${path.slice(1)}`,
  (prefix, path) => `${prefix}${path.replaceAll("/", "%2F")}`,
  (prefix, path) => `${prefix}%2F${path.slice(1)}`,
  (prefix, path) => `${prefix}%5C${path.slice(1)}`,
  (prefix, path) => `${prefix}\\..\\${path.slice(1)}`,
  (prefix, path) => `${prefix}${path}/`,
  (prefix, path) => `${prefix}${path}?x=1`,
  (prefix, path) => `${prefix}${path.toUpperCase()}`,
  (prefix, path) => `${prefix}${path.replace(/[a-z]/, (c) => c.toUpperCase())}`,
  (prefix, path) => `${prefix}${path.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`)}`,
  (prefix, path) => `http://localhost${prefix}${path}`,
  (prefix, path) => `http://x${path}`,
  (prefix, path) => `${prefix};${path}`,
  (prefix, path) => `${prefix}%00${path}`,
];

const validHosts = () => ["x", "ab", "abc", "a.b", "localhost", `127.0.0.1:${port}`, `[::1]:${port}`, "rebind.evil.example:3500"];
const malformedHosts = [
  "",
  " ",
  "a b",
  "a/b",
  "[::1",
  "x:99999",
  "x:0",
  "x:",
  "u@x",
  "a, b",
  "a?b",
  "a#b",
  "%41",
  "x".repeat(300),
  "[zz::1]",
  "exa\tmple",
];

async function attack(method: string, target: string, hostHeader: string | undefined, version: "HTTP/1.1" | "HTTP/1.0") {
  const body = method === "GET" || method === "HEAD" ? "" : "{}";
  const headers: Record<string, string | undefined> = {
    host: hostHeader,
    "content-type": body ? "application/json" : undefined,
    "content-length": body ? String(body.length) : undefined,
    connection: "close",
  };
  return rawRequest(port, requestHead(method, target, headers, version), body);
}

function expectHeld(response: RawResponse, what: string) {
  if (response.status >= 500 || answeredByInternalRoute(response)) {
    throw new Error(`${what} answered ${response.status}: ${response.body.slice(0, 300)}`);
  }
}

describe("the public port of bun start", () => {
  test("the attack of issue 14: an internal route through a short Host creates nothing", async () => {
    const credentials = JSON.stringify({ email: "victim@example.com", password: "a long enough passphrase" });
    const post = (path: string) => fetch(`${host.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: credentials });
    expect((await post("/api/auth/signup")).status).toBe(202);
    const login = await post("/api/auth/login");
    expect(login.status).toBe(200);
    const { token, user } = (await login.json()) as { token: string; user: { id: string } };
    const body = JSON.stringify({ title: "planted", userId: user.id, occurrence: 1 });
    for (const [target, hostHeader] of [
      ["/api/internal/series/0190f0a0-0000-7000-8000-0000000000aa/occurrences", "x"],
      ["/mcp/internal/series/0190f0a0-0000-7000-8000-0000000000aa/occurrences", "ab"],
      ["/internal/series/0190f0a0-0000-7000-8000-0000000000aa/occurrences", `127.0.0.1:${port}`],
    ] as const) {
      const head = requestHead("POST", target, {
        host: hostHeader,
        "content-type": "application/json",
        "content-length": String(body.length),
        connection: "close",
      });
      const response = await rawRequest(port, head, body);
      expect([401, 404, 405]).toContain(response.status);
    }
    const tasks = await fetch(`${host.url}/api/tasks`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await tasks.json()) as { items: unknown[] }).items).toEqual([]);
  });

  test("every internal route of every app, written every way, under the hosts that once split the path", async () => {
    const routes = internalRoutes(host.apps);
    // subscriptions, /dapr/subscribe, /internal and /job: the test is empty if the host stopped telling.
    expect(routes.length).toBeGreaterThanOrEqual(8);
    for (const route of routes) {
      for (const prefix of PUBLIC_PREFIXES) {
        for (const form of pathForms) {
          for (const hostHeader of ["x", "ab", "abc", `127.0.0.1:${port}`]) {
            const target = form(prefix, route.filled);
            const response = await attack(route.method === "ALL" ? "POST" : route.method, target, hostHeader, "HTTP/1.1");
            expectHeld(response, `${route.appId} ${route.method} ${route.path} as ${target} with Host ${hostHeader}`);
          }
        }
      }
    }
  });

  test("random hosts, targets and versions at every route of every app: no 5xx, no internal answer", async () => {
    const routes = allRoutes(host.apps);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom(...PUBLIC_PREFIXES),
        fc.constantFrom(...pathForms),
        fc.oneof(fc.constantFrom(...validHosts(), ...malformedHosts), fc.string({ maxLength: 12 }), fc.constant(undefined)),
        fc.constantFrom("HTTP/1.1" as const, "HTTP/1.0" as const),
        fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"),
        async (route, prefix, form, hostHeader, version, method) => {
          // Bun refuses a header value with CR or LF itself; such a request is not one the app can see.
          if (hostHeader !== undefined && /[\r\n]/.test(hostHeader)) return;
          const target = form(prefix, route.filled);
          const response = await attack(method, target, hostHeader, version);
          expectHeld(response, `${method} ${target} (${route.appId} ${route.path}) ${version} Host ${JSON.stringify(hostHeader)}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("a malformed or missing Host is a 400 with a JSON error, not a 500", async () => {
    for (const hostHeader of malformedHosts) {
      const response = await attack("GET", "/healthz", hostHeader, "HTTP/1.1");
      expect({ hostHeader, status: response.status }).toEqual({ hostHeader, status: 400 });
    }
    const noHost = await attack("GET", "/healthz", undefined, "HTTP/1.0");
    expect(noHost.status).toBe(400);
    expect(noHost.body.length).toBeLessThan(1024);
    expect(noHost.body).toContain("missing_host");
  });

  test("a well-formed short Host still reaches the public routes", async () => {
    for (const hostHeader of ["x", "ab", `localhost:${port}`]) {
      const response = await attack("GET", "/healthz", hostHeader, "HTTP/1.1");
      expect(response.status).toBe(200);
      const api = await attack("GET", "/api/tasks", hostHeader, "HTTP/1.1");
      expect(api.status).toBe(401);
    }
  });
});
