import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@todo/testkit";
import { freePort } from "../dapr-conformance/harness/free-port.ts";

/**
 * `bun start` as a newcomer runs it, started from a shell with umask 000
 * (the worst a user's profile can set): the Dapr API port stays closed, it
 * refuses to open without a token, and nothing under DATA_DIR is readable
 * by another local user.
 */
setDefaultTimeout(90_000);
const main = join(import.meta.dir, "../../services/embedded/src/main.ts");
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup.splice(0)) step();
});

function startWithUmask000(dataDir: string, env: Record<string, string | undefined> = {}) {
  const child = Bun.spawn(["sh", "-c", `umask 000 && exec "${process.execPath}" "${main}"`], {
    env: { ...process.env, DATABASE_URL: undefined, DAPR_HTTP_PORT: undefined, DAPR_API_TOKEN: undefined, PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "info", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  cleanup.push(() => child.kill("SIGKILL"));
  return child;
}

async function readyRecord(child: Bun.Subprocess<"ignore", "pipe", "pipe">): Promise<Record<string, unknown>> {
  const decoder = new TextDecoder();
  const reader = child.stdout.getReader();
  let output = "";
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    output += decoder.decode(value);
    for (const line of output.split("\n")) {
      if (!line.startsWith("{")) continue;
      const record = JSON.parse(line);
      if (record.msg === "ready") return record;
    }
  }
  throw new Error(`bun start never became ready:\n${output}\n${await new Response(child.stderr).text()}`);
}

function modes(root: string): { path: string; mode: string }[] {
  const found: { path: string; mode: string }[] = [];
  const walk = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    found.push({ path: path.slice(root.length) || "/", mode: (stat.mode & 0o777).toString(8) });
    if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  walk(root);
  return found;
}

describe("bun start under umask 000", () => {
  test("keeps the Dapr API port closed and every data file and folder private", async () => {
    const parent = mkdtempSync(join(tmpdir(), "todo-private-"));
    cleanup.push(() => rmSync(parent, { recursive: true, force: true }));
    // What an older version left behind: an open folder with an open file in it.
    const dataDir = join(parent, "data");
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, "left-over"), "x");
    chmodSync(join(dataDir, "left-over"), 0o666);

    const child = startWithUmask000(dataDir);
    const ready = await readyRecord(child);
    expect(ready.daprApi).toBeUndefined();
    const url = String(ready.url);
    // Write something, so PGlite and the runtime create their files.
    const signup = await fetch(`${url}/api/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "private@example.com", password: "a long enough passphrase" }),
    });
    expect(signup.status).toBe(202);
    await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, { message: "/readyz 200" });

    const found = modes(dataDir);
    expect(found.some(({ path }) => path.includes("runtime.sqlite"))).toBe(true);
    expect(found.some(({ path }) => path.startsWith("/chat-api/"))).toBe(true);
    const open = found.filter(({ mode }) => !["600", "700", "400", "500"].includes(mode));
    expect(open).toEqual([]);
  });

  test("DAPR_HTTP_PORT without DAPR_API_TOKEN refuses to start and says which variable to set", async () => {
    const parent = mkdtempSync(join(tmpdir(), "todo-private-"));
    cleanup.push(() => rmSync(parent, { recursive: true, force: true }));
    const child = startWithUmask000(join(parent, "data"), { DAPR_HTTP_PORT: String(freePort()) });
    expect(await child.exited).toBe(1);
    expect(await new Response(child.stderr).text()).toContain("DAPR_API_TOKEN");
  });
});
