import type { Logger } from "./logger.ts";

/**
 * Work an app runs outside request handling (the outbox relay, sweeps).
 * createApp only registers it; the host starts it once the sidecar is up
 * and stops it on shutdown, so building an app never starts I/O.
 */
export interface BackgroundTask {
  start(): void;
  stop(): Promise<void>;
}

export interface Background {
  add(name: string, task: BackgroundTask): void;
  start(): void;
  stop(): Promise<void>;
  readonly names: string[];
}

export function createBackground(logger: Logger): Background {
  const tasks = new Map<string, BackgroundTask>();
  let started = false;
  return {
    add(name, task) {
      if (tasks.has(name)) throw new Error(`background task ${name} is registered twice`);
      tasks.set(name, task);
      if (started) task.start();
    },
    start() {
      if (started) return;
      started = true;
      for (const [name, task] of tasks) {
        task.start();
        logger.debug("background task started", { task: name });
      }
    },
    async stop() {
      if (!started) return;
      started = false;
      // Reverse order: what was registered first (e.g. the database) is stopped last.
      for (const task of [...tasks.values()].reverse()) await task.stop();
    },
    get names() {
      return [...tasks.keys()];
    },
  };
}
