import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { waitFor } from "@todo/testkit";
import { createScratchPostgres, testDatabaseUrl, type ScratchPostgres } from "@todo/testkit/databases";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBinaries } from "../../scripts/build-binaries.ts";
import { startTestHost, type TestHost } from "@todo/testkit/system";
import { spawnChild, type ChildProcess } from "../dapr-conformance/harness/child-process.ts";
import { freePort } from "../dapr-conformance/harness/free-port.ts";

/**
 * The image payload, proven without a Docker engine: every program compiled
 * with `bun build --compile` (as the Dockerfile does), started from an empty
 * directory with only its container env, next to a Dapr sidecar (the
 * embedded one, where the cluster runs daprd). It must answer /healthz and
 * /readyz, register its subscriptions, and stop cleanly on SIGTERM.
 */
setDefaultTimeout(120_000);

const SIDECAR_MAIN = join(import.meta.dir, "../../services/embedded/src/sidecar-main.ts");
const JWT_SECRET = "binaries-test-jwt-secret-0123456789abcdef";
const work = mkdtempSync(join(tmpdir(), "todo-binaries-"));
const bin = join(work, "bin");
const running = new Set<ChildProcess>();
const databases: ScratchPostgres[] = [];
let built: Promise<unknown>;

beforeAll(() => {
  // Once per run, shared by every test below.
  built = buildBinaries({ outDir: bin });
});
afterAll(async () => {
  await Promise.all([...running].map((child) => child.kill()));
  for (const database of databases) await database.drop();
  rmSync(work, { recursive: true, force: true });
});

/** A process with nothing but the env a container would give it, in a directory of its own. */
function start(name: string, cmd: string[], env: Record<string, string>): ChildProcess {
  const dir = mkdtempSync(join(work, `${name}-`));
  const child = spawnChild({ cmd, cwd: dir, env: { HOME: dir, TMPDIR: dir, LOG_LEVEL: "warn", ...env } });
  running.add(child);
  return child;
}

async function answers(url: string, child: ChildProcess, status = 200): Promise<Response> {
  return await waitFor(
    async () => {
      if (child.hasExited()) throw new Error(`exited early:\n${child.output()}`);
      const response = await fetch(url).catch(() => undefined);
      return response?.status === status ? response : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 200, message: `${url} to answer ${status}`, describe: () => child.output().slice(-2000) },
  );
}

interface ServiceCase {
  name: string;
  label: string;
  topics: string[];
  env?: () => Promise<Record<string, string>>;
}

const postgres = async () => {
  const adminUrl = testDatabaseUrl();
  if (!adminUrl) throw new Error("DATABASE_URL is not set");
  const database = await createScratchPostgres(adminUrl);
  databases.push(database);
  return { DATABASE_URL: database.url };
};

const services: ServiceCase[] = [
  // PGlite's WASM and data bundle and the migrations travel inside the binary.
  { name: "chat-api", label: "chat-api on PGlite", topics: [], env: async () => ({ DATA_DIR: "data" }) },
  { name: "notification", label: "notification", topics: ["reminder-events", "task-events"] },
  { name: "recurring-task", label: "recurring-task", topics: ["task-events"] },
  { name: "websocket", label: "websocket", topics: ["reminder-events", "task-events"] },
];
// The services that own tables on PostgreSQL, when the run has a server (CI does).
if (testDatabaseUrl()) {
  services.push(
    { name: "chat-api", label: "chat-api on PostgreSQL", topics: [], env: postgres },
    { name: "audit", label: "audit on PostgreSQL", topics: ["recurring-events", "reminder-events", "task-events"], env: postgres },
  );
}

describe.each(services.map((service) => [service.label, service] as const))("%s binary", (_, service) => {
  test("waits for a sidecar started after it, answers /healthz and /readyz, registers its subscriptions, stops on SIGTERM", async () => {
    await built;
    const appPort = freePort();
    const daprPort = freePort();
    const app = start(service.name, [join(bin, service.name)], {
      PORT: String(appPort),
      DAPR_HTTP_PORT: String(daprPort),
      LOG_LEVEL: "info",
      ...(await service.env?.()),
    });
    // daprd may start after the app on Kubernetes: the app waits for it instead of crashing.
    await waitFor(() => app.output().includes("waiting for the Dapr sidecar"), {
      timeoutMs: 30_000,
      message: `${service.name} to wait for its sidecar`,
      describe: () => app.output().slice(-2000),
    });
    const sidecar = start(`${service.name}-sidecar`, ["bun", SIDECAR_MAIN], {
      PATH: process.env.PATH ?? "",
      APP_ID: service.name,
      APP_PORT: String(appPort),
      DAPR_HTTP_PORT: String(daprPort),
      DATA_DIR: "sidecar",
      SECRET_JWT_SECRET: JWT_SECRET,
      EMBEDDED_NAME_RESOLUTION_DIR: join(work, "names"),
    });
    const url = `http://127.0.0.1:${appPort}`;
    expect(await (await answers(`${url}/healthz`, app)).json()).toMatchObject({ status: "ok", service: service.name });
    expect(await (await answers(`${url}/readyz`, app)).json()).toMatchObject({ status: "ready" });
    // daprd (here the embedded sidecar) reads GET /dapr/subscribe from the binary once it listens.
    await waitFor(
      async () => {
        const metadata = (await (await fetch(`http://127.0.0.1:${daprPort}/v1.0/metadata`)).json()) as { subscriptions?: { topic: string }[] };
        const listed = (metadata.subscriptions ?? []).map((subscription) => subscription.topic).sort();
        return JSON.stringify(listed) === JSON.stringify(service.topics);
      },
      { timeoutMs: 30_000, message: `the sidecar to list ${service.name}'s subscriptions ${service.topics}`, describe: () => sidecar.output().slice(-2000) },
    );
    expect(await app.terminate(10_000)).toBe(true);
    expect(await app.exited).toBe(0);
    await sidecar.terminate(5_000);
  });
});

test("`bun start` compiled with its PGlite worker as an extra entry point stores and reads back a task", async () => {
  // Not a shipped image, but the embedded host runs PGlite in a worker thread (pglite-worker-database.ts),
  // whose code a binary holds only when it is listed as an entry point, under the path relative to --root.
  const repo = join(import.meta.dir, "../..");
  const outfile = join(bin, "embedded");
  const build = Bun.spawn(
    ["bun", "build", "--compile", "--root", repo, join(repo, "services/embedded/src/main.ts"), join(repo, "services/common/src/db/pglite-worker.ts"), "--outfile", outfile],
    { stdout: "pipe", stderr: "pipe" },
  );
  const [buildOutput, buildCode] = await Promise.all([new Response(build.stderr).text(), build.exited]);
  expect(buildCode, buildOutput).toBe(0);
  const port = freePort();
  const app = start("embedded", [outfile], { PORT: String(port), DAPR_HTTP_PORT: "0", DATA_DIR: "data", SITE_DIR: "site" });
  const url = `http://127.0.0.1:${port}`;
  expect(await (await answers(`${url}/readyz`, app)).json()).toMatchObject({ status: "ready" });
  const credentials = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "binary@example.com", password: "correct horse" }) };
  expect((await fetch(`${url}/api/auth/signup`, credentials)).status).toBe(202);
  const { token } = (await (await fetch(`${url}/api/auth/login`, credentials)).json()) as { token: string };
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const created = await fetch(`${url}/api/tasks`, { method: "POST", headers, body: JSON.stringify({ title: "Water the plants" }) });
  expect(created.status, app.output().slice(-2000)).toBe(201);
  const { id } = (await created.json()) as { id: string };
  expect(await (await fetch(`${url}/api/tasks/${id}`, { headers })).json()).toMatchObject({ id, title: "Water the plants" });
  expect(await app.terminate(10_000)).toBe(true);
  expect(await app.exited).toBe(0);
});

test("the audit binary refuses to start without DATABASE_URL, naming it", async () => {
  await built;
  const app = start("audit-no-db", [join(bin, "audit")], { PORT: String(freePort()) });
  expect(await app.exited).not.toBe(0);
  expect(app.output()).toContain("DATABASE_URL");
});

test("the site binary serves SITE_DIR and is ready only once the build is there", async () => {
  await built;
  const siteDir = mkdtempSync(join(work, "site-dist-"));
  const port = freePort();
  const site = start("site", [join(bin, "site")], { PORT: String(port), SITE_DIR: siteDir });
  const url = `http://127.0.0.1:${port}`;
  await answers(`${url}/healthz`, site);
  await answers(`${url}/readyz`, site, 503);
  writeFileSync(join(siteDir, "index.html"), "<!doctype html><title>Todo</title>");
  await answers(`${url}/readyz`, site);
  expect(await (await fetch(`${url}/`)).text()).toContain("<title>Todo</title>");
  expect(await site.terminate(5_000)).toBe(true);
});

describe("the smoke binary", () => {
  let system: TestHost;
  beforeAll(async () => {
    system = await startTestHost();
  });
  afterAll(async () => {
    await system?.stop();
  });

  test("passes against a running system and fails against one without an audit trail", async () => {
    await built;
    const smoke = start("smoke", [join(bin, "smoke"), system.url], { SMOKE_READY_URLS: system.url, SMOKE_TIMEOUT_MS: "15000" });
    expect(await smoke.exited).toBe(0);
    expect(smoke.output()).toContain(`smoke test passed against ${system.url}`);

    const broken = start("smoke-broken", [join(bin, "smoke"), system.url], { SMOKE_AUDIT_URL: `${system.url}/nowhere`, SMOKE_TIMEOUT_MS: "1000" });
    expect(await broken.exited).toBe(1);
    expect(broken.output()).toContain("smoke test FAILED");
  });
});
