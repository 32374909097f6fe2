import { describe, expect, test } from "bun:test";
import { Registry } from "prom-client";
import type { DaprClient } from "./dapr/types.ts";
import { AppError } from "./http-errors.ts";
import { createMemoryLogger } from "./logger.ts";
import { createServiceApp, type ServiceDeps } from "./service-app.ts";
import { t } from "elysia";
import { waitFor } from "@todo/testkit";

/** Only `healthy` is reached by these routes. */
function sidecar(healthy: boolean): DaprClient {
  return new Proxy({} as DaprClient, {
    get: (_, name) => (name === "healthy" ? async () => healthy : () => Promise.reject(new Error(`unexpected ${String(name)}`))),
  });
}

function deps(healthy = true): ServiceDeps {
  return {
    dapr: sidecar(healthy),
    logger: createMemoryLogger(),
    components: { pubsub: "pubsub", stateStore: "statestore", secretStore: "secretstore" },
    registry: new Registry(),
  };
}

const get = (path: string) => new Request(`http://localhost${path}`);

describe("service app base", () => {
  test("/healthz answers 200 while the process lives", async () => {
    const response = await createServiceApp("audit", deps(false)).handle(get("/healthz"));
    expect(response.status).toBe(200);
  });

  test("/readyz is 503 until the sidecar and every check answer", async () => {
    let databaseUp = false;
    const app = createServiceApp("audit", deps(true), [{ name: "database", check: () => databaseUp }]);
    const notReady = await app.handle(get("/readyz"));
    expect(notReady.status).toBe(503);
    expect((await notReady.json()).checks).toEqual({ dapr: true, database: false });
    databaseUp = true;
    expect((await app.handle(get("/readyz"))).status).toBe(200);
    const sidecarDown = createServiceApp("audit", deps(false));
    expect((await sidecarDown.handle(get("/readyz"))).status).toBe(503);
  });

  test("a throwing readiness check counts as not ready, not as a crash", async () => {
    const app = createServiceApp("audit", deps(true), [{ name: "db", check: () => Promise.reject(new Error("down")) }]);
    expect((await app.handle(get("/readyz"))).status).toBe(503);
  });

  test("/metrics exposes request counts by service and route in Prometheus text", async () => {
    const app = createServiceApp("audit", deps()).get("/things", () => "ok");
    await app.handle(get("/things"));
    await app.handle(get("/things"));
    // Elysia records after the response is sent, so the count appears a moment later.
    const text = await waitFor(async () => {
      const body = await (await app.handle(get("/metrics"))).text();
      return body.includes('route="/things",status="200"} 2') && body;
    });
    expect(String(text)).toMatch(/http_requests_total\{service="audit",method="GET",route="\/things",status="200"\} 2/);
    expect((await app.handle(get("/metrics"))).headers.get("content-type")).toContain("text/plain");
  });

  test("two apps can share one registry (embedded mode)", async () => {
    const shared = { ...deps(), registry: new Registry() };
    const a = createServiceApp("audit", shared).get("/a", () => "a");
    const b = createServiceApp("websocket", shared).get("/b", () => "b");
    await a.handle(get("/a"));
    await b.handle(get("/b"));
    const text = await waitFor(async () => {
      const body = await (await a.handle(get("/metrics"))).text();
      return body.includes('service="websocket"') && body.includes('service="audit"') && body;
    });
    expect(text).toContain('service="audit"');
    expect(text).toContain('service="websocket"');
    expect(String(text).match(/# TYPE http_requests_total/g)).toHaveLength(1);
  });

  test("errors map to { error: { code, message } } with the right status", async () => {
    const app = createServiceApp("chat-api", deps())
      .get("/gone", () => {
        throw new AppError(404, "not_found", "task not found");
      })
      .get("/limited", () => {
        throw new AppError(429, "rate_limited", "slow down", undefined, { "retry-after": "3" });
      })
      .post("/things", ({ body }) => body, { body: t.Object({ title: t.String({ minLength: 1 }) }) })
      .get("/bug", () => {
        throw new Error("secret internals");
      });
    const gone = await app.handle(get("/gone"));
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ error: { code: "not_found", message: "task not found" } });

    const limited = await app.handle(get("/limited"));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");

    const invalid = await app.handle(
      new Request("http://localhost/things", { method: "POST", headers: { "content-type": "application/json" }, body: '{"title":""}' }),
    );
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error.code).toBe("invalid_request");

    const malformed = await app.handle(
      new Request("http://localhost/things", { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" }),
    );
    expect(malformed.status).toBe(400);

    const bug = await app.handle(get("/bug"));
    expect(bug.status).toBe(500);
    expect(JSON.stringify(await bug.json())).not.toContain("secret internals");

    const missing = await app.handle(get("/nowhere"));
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe("not_found");
  });
});

describe("JSON bodies", () => {
  const app = createServiceApp("chat-api", deps()).post("/things", ({ body }) => body, {
    body: t.Object({ title: t.String() }),
  });
  const post = (body: string) =>
    app.handle(new Request("http://localhost/things", { method: "POST", headers: { "content-type": "application/json" }, body }));

  test("a property named like an Object method is a clear 400, not a 500", async () => {
    for (const key of ["toString", "valueOf", "__proto__", "constructor"]) {
      const response = await post(`{"title":{"${key}":0}}`);
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("invalid_request");
    }
  });

  test("valid JSON still reaches the route", async () => {
    const response = await post('{"title":"Pay rent"}');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ title: "Pay rent" });
  });
});
