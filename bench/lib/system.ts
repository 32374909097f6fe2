import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nowMs } from "./clock.ts";
import { rssBytes } from "./process-stats.ts";
import { readStack } from "../../tests/stack/stack.ts";

/** Where each public part answers: one address under `bun start`, one per service on the real stack. */
export interface SystemUrls {
  /** chat-api: /api/auth, /api/tasks. */
  api: string;
  /** audit: /api/audit, /api/audit/gaps. */
  audit: string;
  /** websocket: /ws (http:// form). */
  ws: string;
  /** chat-api's /metrics (outbox_pending_events). */
  chatApiMetrics: string;
}

/** A running system under test, as the scenarios use it. */
export interface System {
  urls: SystemUrls;
  /** Operator token for GET /api/audit/gaps. */
  adminToken: string;
  /** The embedded process (undefined on the real stack). */
  pid?: number;
  rss(): number | undefined;
  /** kill -9 and start again on the same data and port; ms from the kill to the new process's /readyz 200. */
  crashAndRestart?(): Promise<{ readyMs: number }>;
  stop(): Promise<void>;
}

export interface Target {
  kind: "embedded" | "stack";
  /** A system holding the data of `seedDir` (a copy of it), or an empty one. */
  start(options?: { seedDir?: string }): Promise<System>;
  /** Spawn `bun start` on an empty data dir and time it to /readyz 200 (embedded only). */
  coldStart?(): Promise<{ readyMs: number; system: System }>;
}

const MAIN = join(import.meta.dir, "../../services/embedded/src/main.ts");
export const BENCH_ADMIN_TOKEN = "bench-admin-token-0123456789abcdef0123456789";
export const BENCH_JWT_SECRET = "bench-jwt-secret-0123456789abcdef0123456789abc";
const OUTPUT_LIMIT = 64 * 1024;

/** Every child of this process dies with it, even when the harness crashes. */
const children = new Set<Bun.Subprocess>();
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});
// A signal ends the harness without "exit" handlers unless it exits itself.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `bench-${label}-`));
}

/** `bun start` as a child process on its own data dir; the rate limit raised through configuration. */
export function embeddedTarget(): Target {
  return {
    kind: "embedded",
    async start(options = {}) {
      const dataDir = tempDir("system");
      if (options.seedDir) cpSync(options.seedDir, dataDir, { recursive: true });
      return await startEmbedded(dataDir, await freePort());
    },
    async coldStart() {
      const dataDir = tempDir("cold");
      const started = nowMs();
      const system = await startEmbedded(dataDir, await freePort());
      return { readyMs: nowMs() - started, system };
    },
  };
}

const onePlace = (url: string): SystemUrls => ({ api: url, audit: url, ws: url, chatApiMetrics: url });

/**
 * The real stack (tests/stack, issue 8) when it is up. BENCH_STACK_URL is one
 * public base URL (a gateway); BENCH_API_URL, BENCH_AUDIT_URL and
 * BENCH_WS_URL override it per service (the stack's own ports).
 * BENCH_STACK_ADMIN_TOKEN is the audit admin token. Users are signed up
 * through the API; there is no process to kill or measure.
 */
export function stackTarget(env: Record<string, string | undefined> = process.env): Target {
  const trim = (url: string | undefined) => url?.replace(/\/$/, "");
  // Without the variables: the stack that `bun run stack:up` started on this machine.
  const local = env.BENCH_STACK_URL || env.BENCH_API_URL ? undefined : readStack();
  const base = trim(env.BENCH_STACK_URL);
  const api = trim(env.BENCH_API_URL) ?? base ?? local?.urls["chat-api"];
  const adminToken = env.BENCH_STACK_ADMIN_TOKEN ?? local?.adminToken;
  if (!api || !adminToken) {
    throw new Error(
      "--stack needs a running `bun run stack:up`, or BENCH_STACK_URL (or BENCH_API_URL, BENCH_AUDIT_URL, BENCH_WS_URL) and BENCH_STACK_ADMIN_TOKEN",
    );
  }
  const urls: SystemUrls = {
    api,
    audit: trim(env.BENCH_AUDIT_URL) ?? base ?? local?.urls.audit ?? api,
    ws: trim(env.BENCH_WS_URL) ?? base ?? local?.urls.websocket ?? api,
    chatApiMetrics: api,
  };
  return {
    kind: "stack",
    async start() {
      return { urls, adminToken, rss: () => undefined, stop: async () => {} };
    },
  };
}

async function startEmbedded(dataDir: string, port: number, options: { keepDataDir?: boolean } = {}): Promise<System> {
  let child = spawnSystem(dataDir, port);
  await untilReady(child, port);
  return {
    urls: onePlace(`http://127.0.0.1:${port}`),
    adminToken: BENCH_ADMIN_TOKEN,
    get pid() {
      return child.process.pid;
    },
    rss: () => rssBytes(child.process.pid),
    async crashAndRestart() {
      const killedAt = nowMs();
      child.process.kill("SIGKILL");
      await child.process.exited;
      child = spawnSystem(dataDir, port);
      await untilReady(child, port);
      return { readyMs: nowMs() - killedAt };
    },
    async stop() {
      child.process.kill("SIGTERM");
      const exited = await Promise.race([child.process.exited, Bun.sleep(15_000).then(() => "timeout" as const)]);
      if (exited === "timeout") child.process.kill("SIGKILL");
      await child.process.exited;
      if (!options.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface SystemChild {
  process: Bun.Subprocess<"ignore", "pipe", "pipe">;
  output: () => string;
}

function spawnSystem(dataDir: string, port: number): SystemChild {
  const proc = Bun.spawn(["bun", MAIN], {
    env: {
      ...process.env,
      // PGlite under the bench's own DATA_DIR, never a DATABASE_URL the caller may have set.
      DATABASE_URL: undefined,
      PORT: String(port),
      DAPR_HTTP_PORT: "0",
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      WRITES_PER_MINUTE: "100000000",
      SECRET_ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
      SECRET_JWT_SECRET: BENCH_JWT_SECRET,
    },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  children.add(proc);
  void proc.exited.then(() => children.delete(proc));
  let output = "";
  const append = (text: string) => {
    output = (output + text).slice(-OUTPUT_LIMIT);
  };
  void drain(proc.stdout, append);
  void drain(proc.stderr, append);
  return { process: proc, output: () => output };
}

/** Ready means what an operator's probe sees: GET /readyz answers 200. */
async function untilReady(child: SystemChild, port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`the system exited (${child.process.exitCode}):\n${child.output()}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`)
      .then((response) => response.ok)
      .catch(() => false);
    if (ok) return;
    await Bun.sleep(10);
  }
  child.process.kill("SIGKILL");
  throw new Error(`the system was not ready within ${timeoutMs} ms:\n${child.output()}`);
}

async function drain(stream: ReadableStream<Uint8Array>, append: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read().catch(() => ({ done: true as const, value: undefined }));
    if (done) return;
    append(decoder.decode(value, { stream: true }));
  }
}

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = server.port as number;
  await server.stop(true);
  return port;
}

/** Spawns the system in a fresh dir, lets `prepare` fill it, stops it gracefully: a data dir to copy per repetition. */
export async function buildSeed(prepare: (system: System) => Promise<void>): Promise<string> {
  const dataDir = tempDir("seed");
  const system = await startEmbedded(dataDir, await freePort(), { keepDataDir: true });
  try {
    await prepare(system);
  } finally {
    await system.stop();
  }
  return dataDir;
}
