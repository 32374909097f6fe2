import { join } from "node:path";

/** `bun start` as an operator runs it: a child process on a data dir, its output kept for failure messages. */
export interface SystemProcess {
  url: string;
  pid: number;
  exited: Promise<number>;
  output(): string;
  /** kill -9: no shutdown hook runs, nothing is flushed. */
  crash(): Promise<void>;
}

const MAIN = join(import.meta.dir, "../../../services/embedded/src/main.ts");
const OUTPUT_LIMIT = 256 * 1024;

/**
 * Starts the system on a free port (PORT=0) and resolves with the URL of its
 * `ready` log line. Output is drained all along (a full pipe would stall the
 * child), and the child dies with this process even if a test crashes.
 */
export async function startSystemProcess(
  dataDir: string,
  running: Set<SystemProcess>,
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<SystemProcess> {
  const child = Bun.spawn(["bun", MAIN], {
    // PGlite under the test's own DATA_DIR, never a DATABASE_URL the runner may have set.
    // A restart on the same port (options.port) keeps a browser page on the same origin.
    env: { ...process.env, DATABASE_URL: undefined, PORT: String(options.port ?? 0), DAPR_HTTP_PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "info", ...options.env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.on("exit", killOnExit);
  const exited = child.exited.then((code) => {
    process.off("exit", killOnExit);
    return code;
  });

  let output = "";
  let resolveUrl: (url: string) => void = () => {};
  const ready = new Promise<string>((resolve) => (resolveUrl = resolve));
  const append = (text: string) => {
    output += text;
    for (const line of text.split("\n")) {
      if (!line.includes('"ready"')) continue;
      try {
        const record = JSON.parse(line) as { msg?: string; url?: string };
        if (record.msg === "ready" && record.url) resolveUrl(record.url);
      } catch {
        // A line split across chunks; the ready line is short and arrives whole in practice.
      }
    }
    if (output.length > OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT);
  };
  void drain(child.stdout, append);
  void drain(child.stderr, append);

  const system: SystemProcess = {
    url: "",
    pid: child.pid,
    exited,
    output: () => output,
    async crash() {
      child.kill("SIGKILL");
      await exited;
      running.delete(system);
    },
  };
  running.add(system);
  let deadline: Timer | undefined;
  const outcome = await Promise.race([
    ready,
    exited.then((code) => new Error(`the system exited (${code}) before it was ready`)),
    new Promise<Error>((resolve) => (deadline = setTimeout(() => resolve(new Error("the system was not ready within 30 s")), 30_000))),
  ]);
  clearTimeout(deadline);
  if (outcome instanceof Error) {
    await system.crash();
    throw new Error(`${outcome.message}:\n${output.slice(-4000)}`);
  }
  system.url = outcome;
  return system;
}

async function drain(stream: ReadableStream<Uint8Array>, append: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read().catch(() => ({ done: true as const, value: undefined }));
    if (done) break;
    pending += decoder.decode(value, { stream: true });
    const end = pending.lastIndexOf("\n");
    if (end === -1) continue;
    append(pending.slice(0, end + 1));
    pending = pending.slice(end + 1);
  }
  if (pending) append(pending);
}
