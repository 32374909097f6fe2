import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@todo/testkit";

// Each start initialises PGlite on a fresh data dir: seconds, not milliseconds.
setDefaultTimeout(30_000);

/** `bun start` as a newcomer runs it: a real child process on a data dir. */
const main = join(import.meta.dir, "../../services/embedded/src/main.ts");
const running: { process: Bun.Subprocess; dataDir: string }[] = [];

async function start(dataDir: string) {
  const child = Bun.spawn(["bun", main], {
    // PGlite under the test's own DATA_DIR, never a DATABASE_URL the runner may have set.
    env: { ...process.env, DATABASE_URL: undefined, PORT: "0", DAPR_HTTP_PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "info" },
    stdout: "pipe",
    stderr: "pipe",
  });
  running.push({ process: child, dataDir });
  const url = await readReadyUrl(child);
  return { child, url };
}

/** The "ready" log line carries the URL (PORT=0 picks a free port). */
async function readReadyUrl(child: Bun.Subprocess<"ignore", "pipe", "pipe">): Promise<string> {
  const decoder = new TextDecoder();
  let output = "";
  const reader = child.stdout.getReader();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    output += decoder.decode(value);
    for (const line of output.split("\n")) {
      if (!line.startsWith("{")) continue;
      const record = JSON.parse(line);
      if (record.msg === "ready") {
        reader.releaseLock();
        return record.url;
      }
    }
  }
  throw new Error(`bun start never became ready:\n${output}\n${await new Response(child.stderr).text()}`);
}

afterEach(() => {
  for (const { process, dataDir } of running.splice(0)) {
    process.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  }
});

describe("bun start", () => {
  test("serves health, readiness, the runtime's metadata and a page on one port", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "todo-start-"));
    const { url } = await start(dataDir);

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, { message: "/readyz 200" });

    const metadata = await (await fetch(`${url}/v1.0/metadata`)).json();
    const appIds = metadata.apps.map((app: { id: string }) => app.id).sort();
    expect(appIds).toEqual(["audit", "chat-api", "notification", "recurring-task", "websocket"]);
    const audit = metadata.apps.find((app: { id: string }) => app.id === "audit");
    expect(audit.subscriptions.map((s: { topic: string }) => s.topic).sort()).toEqual([
      "recurring-events",
      "reminder-events",
      "task-events",
    ]);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain("http_requests_total");
  });

  test("stops cleanly on SIGTERM and starts again on the same data", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "todo-start-"));
    const first = await start(dataDir);
    // An open browser tab must not hold the shutdown: the server closes it (1001) and exits.
    const credentials = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "tab@example.com", password: "correct horse" }) };
    expect((await fetch(`${first.url}/api/auth/signup`, credentials)).status).toBe(202);
    const { token } = (await (await fetch(`${first.url}/api/auth/login`, credentials)).json()) as { token: string };
    const tab = new WebSocket(`${first.url.replace("http", "ws")}/ws?token=${token}`);
    await new Promise((resolve, reject) => ((tab.onopen = resolve), (tab.onerror = reject)));
    const closed = new Promise<number>((resolve) => (tab.onclose = (event) => resolve(event.code)));
    first.child.kill("SIGTERM");
    expect(await first.child.exited).toBe(0);
    expect(await closed).toBe(1001);

    const second = await start(dataDir);
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
  });
});
