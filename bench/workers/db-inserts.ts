/**
 * Single-row insert transactions, back to back, on PGlite (a file-backed
 * database in a temp dir, opened as the system opens it) or on PostgreSQL
 * (`concurrency` connections). Runs in its own process.
 */
import { openDatabase, openPostgresDatabase, type Database } from "@todo/common/db";
import { rmSync } from "node:fs";
import { serveWorker } from "../lib/worker-rpc.ts";

export interface DbInsertArgs {
  engine: "pglite" | "postgres";
  dataDir?: string;
  databaseUrl?: string;
  concurrency: number;
  durationMs: number;
}

serveWorker(() => ({
  async run(args: DbInsertArgs) {
    const db: Database =
      args.engine === "pglite"
        ? await openDatabase({ dataDir: args.dataDir })
        : openPostgresDatabase(args.databaseUrl as string, { maxConnections: args.concurrency });
    const table = `bench_insert_${process.pid}`;
    try {
      await db.query(`CREATE TABLE ${table} (id bigserial PRIMARY KEY, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
      let committed = 0;
      const end = performance.now() + args.durationMs;
      const lane = async () => {
        while (performance.now() < end) {
          await db.transaction((tx) => tx.query(`INSERT INTO ${table} (payload) VALUES ($1)`, [{ title: "bench", n: committed }]));
          committed += 1;
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: args.engine === "pglite" ? 1 : args.concurrency }, lane));
      return { committed, elapsedMs: performance.now() - started };
    } finally {
      await db.query(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
      await db.close();
      if (args.dataDir) rmSync(args.dataDir, { recursive: true, force: true });
    }
  },
}));
