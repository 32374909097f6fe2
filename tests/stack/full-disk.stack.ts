/**
 * A full disk under the embedded data dir (`bun start`), under the steady
 * stream of fault-run.ts: the test mounts a small tmpfs (root only, as CI
 * runs), starts the system on it, fills what is left with a file, and then:
 * writes answer 503 `storage_full` with Retry-After (never 500), reads still
 * answer; when the file is removed the same writes succeed again; every
 * write accepted before, during and after is kept (also across a kill -9
 * and restart) and audited once, every reminder fires once, every tab shows
 * the server's state. Timings go to tests/stack/results/full-disk.json.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Task } from "@todo/common";
import { waitFor } from "@todo/testkit";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { apiClient, type ApiClient, type TestUser } from "../e2e/harness/api-client.ts";
import { startSystemProcess, type SystemProcess } from "../e2e/harness/system-process.ts";
import { closeAll, openTab, type BrowserTab } from "@todo/testkit/browser-tab";
import { startChangeStream } from "./harness/change-stream.ts";
import { createFaultRun } from "./harness/fault-run.ts";
import { run } from "./processes.ts";

setDefaultTimeout(300_000);

/** Room for PGlite's initial cluster (~40 MB) and a few minutes of the stream. */
const DISK_SIZE = "128m";
/** The stream writes faster than a person; the per-user limit is not under test. */
const SYSTEM_ENV = { WRITES_PER_MINUTE: "100000" };
const RESULTS = join(import.meta.dir, "results");

const running = new Set<SystemProcess>();
const tabs = new Set<BrowserTab>();
let mountPoint: string | undefined;

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error("the full-disk test mounts a tmpfs: run it as root (CI does)");
  mountPoint = mkdtempSync("/tmp/todo-full-disk-");
  const mount = await run(["mount", "-t", "tmpfs", "-o", `size=${DISK_SIZE},mode=0700`, "tmpfs", mountPoint]);
  if (mount.code !== 0) throw new Error(`mount tmpfs failed: ${mount.stderr}`);
});

afterAll(async () => {
  await closeAll(tabs);
  for (const system of [...running]) await system.crash();
  if (mountPoint) {
    await run(["umount", mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  }
});

/** Appends to `file` until the filesystem refuses (ENOSPC), big chunks first, then small ones. */
function fillDisk(file: string): number {
  let written = 0;
  for (const size of [1 << 20, 1 << 12]) {
    const chunk = new Uint8Array(size);
    for (;;) {
      try {
        appendFileSync(file, chunk);
        written += size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOSPC") break;
        throw error;
      }
    }
  }
  return written;
}

async function createTask(baseUrl: string, user: TestUser, title: string): Promise<Response> {
  return await fetch(`${baseUrl}/api/tasks`, {
    method: "POST",
    headers: { authorization: `Bearer ${user.token}`, "content-type": "application/json" },
    body: JSON.stringify({ title, description: "x".repeat(2000) }),
  });
}

describe("a full disk under the embedded data dir", () => {
  test("writes answer 503 storage_full while it is full, nothing accepted is lost, and writes work again once space returns", async () => {
    const dataDir = join(mountPoint!, "data");
    mkdirSync(dataDir, { mode: 0o700 });
    const system = await startSystemProcess(dataDir, running, { env: SYSTEM_ENV });
    const api: ApiClient = apiClient(system.url);
    const users: TestUser[] = [];
    const tabOf = new Map<TestUser, BrowserTab>();
    for (const label of ["ada", "grace"]) {
      const user = await api.signup(`disk-${label}`);
      users.push(user);
      tabOf.set(user, await openTab(system.url, { token: user.token }, tabs));
    }
    const adminToken = (JSON.parse(readFileSync(join(dataDir, "secrets.json"), "utf8")) as Record<string, string>)["admin-token"]!;
    const checks = createFaultRun({ api, adminToken, users, tabOf });

    const stream = startChangeStream(api, users);
    const accepted: Task[] = [];
    let refusal: { status: number; retryAfter: string | null; body: { error: { code: string; message: string } } } | undefined;
    let timings: Record<string, number> = {};
    try {
      await waitFor(() => stream.confirmed() >= 30 && stream.series.size > 0 && stream.reminders.length > 0, {
        timeoutMs: 60_000,
        message: "the change stream under way, with a series and a reminder",
      });

      const filler = join(mountPoint!, "filler");
      const fullAt = performance.now();
      const filled = fillDisk(filler);
      // Writes still land in pages and WAL segments PGlite holds already; soon one needs a new block.
      let attempt = 0;
      await waitFor(
        async () => {
          const response = await createTask(system.url, users[0]!, `while full ${++attempt}`);
          if (response.status === 201) {
            accepted.push((await response.json()) as Task);
            return false;
          }
          refusal = { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as never };
          return true;
        },
        { timeoutMs: 120_000, intervalMs: 20, message: "a write refused on the full disk", describe: () => `${accepted.length} accepted` },
      );
      const refusedAt = performance.now();
      // The refusal is the clear one: 503 storage_full, not 500.
      expect({ status: refusal!.status, code: refusal!.body.error.code }).toEqual({ status: 503, code: "storage_full" });
      expect(refusal!.body.error.message).toContain("disk space");
      expect(refusal!.retryAfter).toBe("30");
      // Still full: the next writes are refused the same way, and reads answer.
      for (let i = 0; i < 5; i++) {
        const response = await createTask(system.url, users[0]!, `still full ${i}`);
        if (response.status === 201) accepted.push((await response.json()) as Task);
        else expect(response.status).toBe(503);
      }
      expect((await api.listTasks(users[0]!)).length).toBeGreaterThan(0);

      rmSync(filler);
      const freedAt = performance.now();
      const afterSpace = await waitFor(
        async () => {
          const response = await createTask(system.url, users[0]!, "once space is back");
          return response.status === 201 && ((await response.json()) as Task);
        },
        { timeoutMs: 60_000, intervalMs: 200, message: "a write accepted once space is back" },
      );
      accepted.push(afterSpace);
      timings = {
        filledBytes: filled,
        fullToFirstRefusalMs: Math.round(refusedAt - fullAt),
        freedToWriteAcceptedMs: Math.round(performance.now() - freedAt),
        acceptedWhileFull: accepted.length - 1,
      };
      const confirmed = stream.confirmed();
      await waitFor(() => stream.confirmed() >= confirmed + 20, { timeoutMs: 60_000, message: "the stream flowing again" });
    } finally {
      await stream.stop();
    }
    const checkedAt = performance.now();
    await checks.expectConsistent(stream);
    timings.consistentAfterMs = Math.round(performance.now() - checkedAt);

    // Accepted means kept: every task written around the full disk survives a kill -9 and restart.
    await closeAll(tabs);
    await system.crash();
    const restarted = await startSystemProcess(dataDir, running, { env: SYSTEM_ENV });
    const kept = new Map((await apiClient(restarted.url).listTasks(users[0]!)).map((task) => [task.id, task]));
    const lost = accepted.filter((task) => kept.get(task.id)?.title !== task.title).map((task) => task.title);
    expect(lost).toEqual([]);
    await restarted.crash();

    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, "full-disk.json"), `${JSON.stringify(timings, null, 2)}\n`);
    console.log("full disk (ms):", timings);
  });
});
