import { join } from "node:path";
import type { DbInsertArgs } from "../workers/db-inserts.ts";
import { postgresForReference } from "../lib/postgres-server.ts";
import type { Scenario } from "../lib/scenario.ts";
import { tempDir } from "../lib/system.ts";
import { startWorker } from "../lib/worker-rpc.ts";

const WORKERS = join(import.meta.dir, "../workers");

/** The trivial Bun.serve route in one process, hammered by a load generator in another. */
async function bunHttpRequestsPerSecond(durationMs: number): Promise<number> {
  const server = Bun.spawn(["bun", join(WORKERS, "trivial-server.ts")], { stdout: "pipe", stderr: "inherit" });
  try {
    const reader = server.stdout.getReader();
    const { value } = await reader.read();
    const { port } = JSON.parse(new TextDecoder().decode(value)) as { port: number };
    const load = startWorker(join(WORKERS, "http-load.ts"), { url: `http://127.0.0.1:${port}/` });
    try {
      await load.call("run", { concurrency: 64, durationMs: 500 });
      const { ok } = await load.call<{ ok: number }>("run", { concurrency: 64, durationMs });
      return ok / (durationMs / 1000);
    } finally {
      await load.stop();
    }
  } finally {
    server.kill("SIGTERM");
    await server.exited;
  }
}

async function insertsPerSecond(args: Omit<DbInsertArgs, "durationMs">, durationMs: number): Promise<number> {
  const worker = startWorker(join(WORKERS, "db-inserts.ts"), {});
  try {
    const { committed, elapsedMs } = await worker.call<{ committed: number; elapsedMs: number }>("run", { ...args, durationMs });
    return committed / (elapsedMs / 1000);
  } finally {
    await worker.stop();
  }
}

/**
 * Reference limits of this machine in the same run: what Bun's HTTP server
 * does with nothing behind it, and how many single-row insert transactions
 * PGlite (file-backed, as the system uses it) and PostgreSQL commit.
 */
export const reference: Scenario = {
  name: "reference",
  title: "Reference limits of the machine",
  metrics: [
    { key: "bunHttpRps", label: "Bun.serve trivial route", unit: "req/s" },
    { key: "pgliteInsertTps", label: "PGlite single-row insert tx", unit: "tx/s" },
    { key: "postgresInsertTps1", label: "PostgreSQL insert tx, 1 connection", unit: "tx/s" },
    { key: "postgresInsertTps16", label: "PostgreSQL insert tx, 16 connections", unit: "tx/s" },
  ],
  async run(ctx) {
    const durationMs = ctx.options.quick ? 1000 : 3000;
    const result: Record<string, number> = {
      bunHttpRps: await bunHttpRequestsPerSecond(durationMs),
      pgliteInsertTps: await insertsPerSecond({ engine: "pglite", dataDir: tempDir("pglite"), concurrency: 1 }, durationMs),
    };
    const postgres = await postgresForReference();
    if (!postgres) {
      ctx.log("  no PostgreSQL here (set DATABASE_URL or install it): PostgreSQL reference skipped");
      return result;
    }
    try {
      result.postgresInsertTps1 = await insertsPerSecond({ engine: "postgres", databaseUrl: postgres.url, concurrency: 1 }, durationMs);
      result.postgresInsertTps16 = await insertsPerSecond({ engine: "postgres", databaseUrl: postgres.url, concurrency: 16 }, durationMs);
    } finally {
      await postgres.stop();
    }
    return result;
  },
};
