import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@todo/testkit";

/** sidecar-main as a child process, the way the conformance suite runs it in place of daprd. */
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sidecar-main-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function startSidecar(env: Record<string, string>, until = "sidecar ready") {
  const proc = Bun.spawn(["bun", join(import.meta.dir, "sidecar-main.ts")], {
    env: { ...process.env, DAPR_HTTP_PORT: "0", LOG_LEVEL: "info", EMBEDDED_NAME_RESOLUTION_DIR: tempDir(), ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  cleanups.push(async () => {
    if (proc.exitCode === null) proc.kill("SIGKILL");
    await proc.exited;
  });
  const lines: string[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    let buffered = "";
    const reader = proc.stdout.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffered += decoder.decode(value, { stream: true });
      const parts = buffered.split("\n");
      buffered = parts.pop() ?? "";
      lines.push(...parts);
    }
  })();
  const logged = (msg: string) =>
    waitFor(() => lines.map((line) => JSON.parse(line) as { msg?: string; url?: string }).find((r) => r.msg === msg), {
      timeoutMs: 10_000,
      message: `the log line "${msg}"`,
    });
  const line = await logged(until);
  return { proc, url: line.url as string, logged };
}

describe("sidecar-main", () => {
  test("delivers a published event to the app's subscription and exits 0 on SIGTERM", async () => {
    const received: Record<string, unknown>[] = [];
    const app = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: async (request) => {
        const path = new URL(request.url).pathname;
        if (path === "/dapr/subscribe") return Response.json([{ pubsubname: "pubsub", topic: "orders", route: "/events/orders" }]);
        if (path === "/events/orders") {
          received.push((await request.json()) as Record<string, unknown>);
          return Response.json({ status: "SUCCESS" });
        }
        return new Response("not found", { status: 404 });
      },
    });
    cleanups.push(() => app.stop(true));

    const { proc, url } = await startSidecar({ APP_ID: "orders-app", APP_PORT: String(app.port), DATA_DIR: tempDir() });
    expect((await fetch(`${url}/v1.0/healthz`)).status).toBe(204);

    const published = await fetch(`${url}/v1.0/publish/pubsub/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ orderId: 7 }),
    });
    expect(published.status).toBe(204);
    await waitFor(() => received.length === 1, { message: "the delivered event" });
    expect(received[0]).toMatchObject({ source: "orders-app", topic: "orders", pubsubname: "pubsub", data: { orderId: 7 } });

    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
  });

  test("waits for the app port before reading its subscriptions; meanwhile only healthz/outbound is healthy", async () => {
    const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
    const appPort = probe.port;
    await probe.stop(true);

    const { url, logged } = await startSidecar({ APP_ID: "late-app", APP_PORT: String(appPort), DATA_DIR: tempDir() }, "sidecar API listening");
    expect((await fetch(`${url}/v1.0/healthz/outbound`)).status).toBe(204);
    expect((await fetch(`${url}/v1.0/healthz`)).status).toBe(500);

    let subscribeCalls = 0;
    const app = Bun.serve({
      port: appPort,
      hostname: "127.0.0.1",
      fetch: (request) => {
        if (new URL(request.url).pathname === "/dapr/subscribe") subscribeCalls++;
        return new Response(null, { status: 404 });
      },
    });
    cleanups.push(() => app.stop(true));
    await logged("sidecar ready");
    expect(subscribeCalls).toBe(1);
    expect((await fetch(`${url}/v1.0/healthz`)).status).toBe(204);
  });

  test("DAPR_API_TOKEN guards the API and APP_API_TOKEN is sent to the app", async () => {
    const tokens: (string | null)[] = [];
    const app = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: (request) => {
        tokens.push(request.headers.get("dapr-api-token"));
        return new Response(null, { status: 404 });
      },
    });
    cleanups.push(() => app.stop(true));
    const { url } = await startSidecar({
      APP_ID: "guarded",
      APP_PORT: String(app.port),
      DATA_DIR: tempDir(),
      DAPR_API_TOKEN: "api-secret",
      APP_API_TOKEN: "app-secret",
    });
    expect(tokens).toEqual(["app-secret"]); // GET /dapr/subscribe
    expect((await fetch(`${url}/v1.0/metadata`)).status).toBe(401);
    expect((await fetch(`${url}/v1.0/metadata`, { headers: { "dapr-api-token": "api-secret" } })).status).toBe(200);
  });

  test("one sidecar invokes another sidecar's app, which sees the caller's app id and its own app token", async () => {
    const seen: Headers[] = [];
    const callee = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: (request) => {
        if (new URL(request.url).pathname === "/dapr/subscribe") return new Response(null, { status: 404 });
        seen.push(request.headers);
        return Response.json({ path: new URL(request.url).pathname }, { status: 202 });
      },
    });
    const caller = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response(null, { status: 404 }) });
    cleanups.push(() => callee.stop(true), () => caller.stop(true));
    const namesDir = tempDir();
    await startSidecar({
      APP_ID: "callee-app",
      APP_PORT: String(callee.port),
      DATA_DIR: tempDir(),
      DAPR_API_TOKEN: "callee-api-token",
      APP_API_TOKEN: "callee-app-token",
      EMBEDDED_NAME_RESOLUTION_DIR: namesDir,
    });
    const { url } = await startSidecar({
      APP_ID: "caller-app",
      APP_PORT: String(caller.port),
      DATA_DIR: tempDir(),
      EMBEDDED_NAME_RESOLUTION_DIR: namesDir,
    });

    const response = await fetch(`${url}/v1.0/invoke/callee-app/method/orders/1`, { method: "POST", body: "x" });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ path: "/orders/1" });
    expect(seen[0]?.get("dapr-caller-app-id")).toBe("caller-app");
    expect(seen[0]?.get("dapr-callee-app-id")).toBe("callee-app");
    expect(seen[0]?.get("dapr-api-token")).toBe("callee-app-token");
    expect(seen[0]?.get("dapr-internal-token")).toBeNull();

    expect((await fetch(`${url}/v1.0/invoke/nobody/method/x`)).status).toBe(500);
  });

  test("answers only a loopback Host with its own port, so a page cannot reach it by DNS rebinding", async () => {
    const { url } = await startSidecar({ APP_ID: "lonely-app", DATA_DIR: tempDir() }, "sidecar API listening");
    const port = new URL(url).port;
    const ask = (host: string) => fetch(`${url}/v1.0/healthz/outbound`, { headers: { host } });
    expect((await ask(`127.0.0.1:${port}`)).status).toBe(204);
    expect((await ask(`localhost:${port}`)).status).toBe(204);
    expect((await ask(`rebind.evil.example:${port}`)).status).toBe(421);
    expect((await ask("127.0.0.1")).status).toBe(421);
  });
});
