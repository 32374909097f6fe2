import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Load generators run in their own processes (the system under test in a
 * third), so generating load never competes with measuring in one event
 * loop. The parent talks to them over Bun's IPC: requests with an id,
 * answers with the same id, and unsolicited progress messages.
 */

type Handler = (args: any) => unknown | Promise<unknown>;

interface Request {
  id: number;
  command: string;
  args: unknown;
}

type Reply = { id: number; result: unknown } | { id: number; error: string } | { progress: unknown };

export interface WorkerHandle<Progress> {
  call<T>(command: string, args?: unknown): Promise<T>;
  /** The latest progress message (undefined before the first). */
  progress(): Progress | undefined;
  stop(): Promise<void>;
}

export function startWorker<Progress = unknown>(script: string, config: unknown): WorkerHandle<Progress> {
  const pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  let latest: Progress | undefined;
  let nextId = 1;
  // The config (a thousand users' tokens) is too long for a command-line argument: it goes through a file.
  const configFile = join(tmpdir(), `bench-worker-${process.pid}-${crypto.randomUUID()}.json`);
  writeFileSync(configFile, JSON.stringify(config));
  const child = Bun.spawn(["bun", script, configFile], {
    stdio: ["ignore", "inherit", "inherit"],
    serialization: "json",
    ipc(message: Reply) {
      if ("progress" in message) {
        latest = message.progress as Progress;
        return;
      }
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (!waiter) return;
      if ("error" in message) waiter.reject(new Error(message.error));
      else waiter.resolve(message.result);
    },
  });
  const exited = child.exited.then((code) => {
    rmSync(configFile, { force: true });
    for (const waiter of pending.values()) waiter.reject(new Error(`worker ${script} exited (${code})`));
    pending.clear();
  });
  const kill = () => child.kill("SIGKILL");
  process.on("exit", kill);
  return {
    call<T>(command: string, args?: unknown): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, command, args } satisfies Request);
      });
    },
    progress: () => latest,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      process.off("exit", kill);
    },
  };
}

/** Worker side: the config passed on the command line, and the commands it answers. */
export function serveWorker<Config>(handlers: (config: Config) => Record<string, Handler>): { progress(value: unknown): void } {
  const config = JSON.parse(readFileSync(process.argv[2] as string, "utf8")) as Config;
  const table = handlers(config);
  process.on("message", async (message: Request) => {
    const handler = table[message.command];
    try {
      if (!handler) throw new Error(`unknown command ${message.command}`);
      process.send?.({ id: message.id, result: (await handler(message.args)) ?? null });
    } catch (error) {
      process.send?.({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
  process.on("SIGTERM", () => process.exit(0));
  return { progress: (value) => process.send?.({ progress: value }) };
}
