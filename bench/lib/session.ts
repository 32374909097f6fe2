import { join } from "node:path";
import type { RunArgs, RunResult } from "../workers/mutations.ts";
import type { SocketsSnapshot } from "../workers/sockets.ts";
import type { Population, ScenarioContext } from "./scenario.ts";
import type { System } from "./system.ts";
import { startWorker, type WorkerHandle } from "./worker-rpc.ts";

const WORKERS = join(import.meta.dir, "../workers");

/** A system under test with its load generator and (optionally) connected WebSocket tabs, each in its own process. */
export interface Session {
  system: System;
  population: Population;
  load: WorkerHandle<{ accepted: number; expectedEvents: number }>;
  sockets?: WorkerHandle<{ taskFrames: number; open: number }>;
  connected: number;
  /** Each event of a user reaches this many tabs. */
  tabsPerUser: number;
  run(args: RunArgs): Promise<RunResult>;
  snapshot(args?: { reset?: boolean; details?: boolean }): Promise<SocketsSnapshot>;
  stop(): Promise<void>;
}

export async function openSession(
  ctx: ScenarioContext,
  options: { users: number; tabsPerUser?: number; sockets: boolean; repetition: number },
): Promise<Session> {
  const population = await ctx.population(options.users);
  const system = await ctx.target.start({ seedDir: population.seedDir });
  const load = startWorker<{ accepted: number; expectedEvents: number }>(join(WORKERS, "mutations.ts"), {
    baseUrl: system.urls.api,
    users: population.users,
    seed: ctx.options.seed + options.repetition,
  });
  let sockets: WorkerHandle<{ taskFrames: number; open: number }> | undefined;
  let connected = 0;
  const stop = async () => {
    await sockets?.call("close").catch(() => {});
    await sockets?.stop();
    await load.stop();
    await system.stop();
  };
  try {
    if (options.sockets) {
      sockets = startWorker(join(WORKERS, "sockets.ts"), {
        wsUrl: `${system.urls.ws.replace(/^http/, "ws")}/ws`,
        users: population.users,
        tabsPerUser: options.tabsPerUser ?? 1,
      });
      const outcome = await sockets.call<{ connected: number; failed: number }>("connect");
      connected = outcome.connected;
      if (outcome.failed > 0) throw new Error(`${outcome.failed} WebSocket clients could not connect`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    system,
    population,
    load,
    sockets,
    connected,
    tabsPerUser: options.tabsPerUser ?? 1,
    run: (args) => load.call<RunResult>("run", args),
    snapshot: async (args = {}) => {
      if (!sockets) throw new Error("this session has no WebSocket clients");
      return await sockets.call<SocketsSnapshot>("snapshot", args);
    },
    stop,
  };
}
