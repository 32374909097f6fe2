import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DaprApiTokenMissingError, startEmbeddedHost, type EmbeddedHost } from "@todo/embedded/host";
import { freePort } from "../dapr-conformance/harness/free-port.ts";
import { rawRequest, requestHead } from "./raw-http.ts";

/**
 * bun start's Dapr API port, opened on purpose (DAPR_HTTP_PORT): it hands
 * out the JWT signing key and accepts any event, so a local process without
 * the token and a web page reaching it by DNS rebinding get nothing.
 */
setDefaultTimeout(60_000);
const TOKEN = "dapr-api-token-of-the-port-test";
let dataDir: string;
let host: EmbeddedHost;
let port: number;

const options = (dir: string, daprHttpPort: number, daprApiToken?: string) => ({
  port: 0,
  host: "127.0.0.1",
  dataDir: dir,
  daprHttpPort,
  daprApiToken,
  logLevel: "error" as const,
  siteDir: join(dir, "no-site"),
});

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "todo-dapr-port-"));
  port = freePort();
  host = await startEmbeddedHost(options(join(dataDir, "data"), port, TOKEN));
});

afterAll(async () => {
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function call(method: string, path: string, headers: Record<string, string | undefined>, body = "") {
  return rawRequest(
    port,
    requestHead(method, path, { ...headers, "content-length": body ? String(body.length) : undefined, connection: "close" }),
    body,
  );
}

const SECRET = "/v1.0/secrets/secretstore/jwt-secret";
const PUBLISH = "/v1.0/publish/pubsub/task-events";
const forgedEvent = JSON.stringify({ specversion: "1.0", id: "forged", type: "todo.task.deleted.v1", source: "x", data: {} });

describe("the Dapr API port of bun start", () => {
  test("without the token: no secret, no published event", async () => {
    for (const headers of [{}, { "dapr-api-token": "wrong" }, { "dapr-api-token": "" }]) {
      const secret = await call("GET", SECRET, { host: `127.0.0.1:${port}`, ...headers });
      expect(secret.status).toBe(401);
      expect(secret.body).not.toContain("jwt-secret\":\"");
      for (const name of ["admin-token", "jwt-secret"]) {
        expect((await call("GET", `/v1.0/secrets/secretstore/${name}`, { host: `localhost:${port}`, ...headers })).status).toBe(401);
      }
      const publish = await call("POST", PUBLISH, { host: `127.0.0.1:${port}`, "content-type": "application/json", ...headers }, forgedEvent);
      expect(publish.status).toBe(401);
      expect((await call("GET", "/v1.0/secrets/secretstore/bulk", { host: `127.0.0.1:${port}`, ...headers })).status).toBe(401);
    }
  });

  test("a Host that is not a loopback name with this port is refused, token or not (DNS rebinding)", async () => {
    for (const hostHeader of [
      `rebind.evil.example:${port}`,
      "rebind.evil.example:3500",
      "127.0.0.1",
      "localhost",
      `localhost:${port + 1}`,
      `127.0.0.2:${port}`,
      `LOCALHOST.evil:${port}`,
      "",
      undefined,
    ]) {
      const response = await call("GET", SECRET, { host: hostHeader, "dapr-api-token": TOKEN });
      // 421 Misdirected Request; Bun itself answers 400 to an HTTP/1.1 request with no Host at all.
      expect([hostHeader ? 421 : 400, 421], `Host ${hostHeader}`).toContain(response.status);
      expect(response.body).not.toContain("jwt-secret");
    }
  });

  test("with the token and a loopback Host it is the Dapr API", async () => {
    for (const hostHeader of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      const response = await call("GET", SECRET, { host: hostHeader, "dapr-api-token": TOKEN });
      expect(response.status).toBe(200);
      expect(response.body).toContain("jwt-secret");
    }
    // Health probes carry no token, as with daprd.
    expect((await call("GET", "/v1.0/healthz", { host: `127.0.0.1:${port}` })).status).toBe(204);
  });

  test("does not open without a token", async () => {
    const dir = mkdtempSync(join(tmpdir(), "todo-dapr-port-"));
    try {
      await expect(startEmbeddedHost(options(dir, freePort()))).rejects.toBeInstanceOf(DaprApiTokenMissingError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
