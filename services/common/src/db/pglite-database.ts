import { PGlite, types, type Transaction } from "@electric-sql/pglite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Database, Queryable } from "./database.ts";
import { pgliteAssets, type PgliteAssets } from "./pglite-assets.ts";
import { createTransactionScope } from "./transaction-scope.ts";

export interface PgliteOptions {
  /** Directory of a file-backed database; in memory when omitted. */
  dataDir?: string;
  /** A data directory tarball (from `dumpDataDir`) to start from: clones a template. */
  loadDataDir?: Blob;
  /** Compiled WASM and file bundle to reuse (a worker gets them from the main thread); compiled here otherwise. */
  assets?: PgliteAssets;
}

/** What the PGlite adapter adds for the test helper that clones a migrated template. */
export interface PgliteDatabase extends Database {
  dumpDataDir(): Promise<Blob>;
}

/**
 * PGlite is PostgreSQL compiled to WASM, running in this process: one
 * connection, so every query and transaction is serialised. Parsers and
 * serializers are set to match what the `postgres` package does (see
 * database.ts): bigint as string, JSON parameters always JSON-encoded.
 */
export async function openPgliteDatabase(options: PgliteOptions = {}): Promise<PgliteDatabase> {
  const pglite = await createPglite(options);
  const scope = createTransactionScope();
  const direct = pgliteQueryable(pglite);

  return {
    kind: "pglite",
    async query(sql, params) {
      scope.assertOutside("query");
      return await direct.query(sql, params);
    },
    async transaction(work) {
      scope.assertOutside("transaction");
      return await pglite.transaction((tx) => scope.run(() => work(pgliteQueryable(tx))));
    },
    async dumpDataDir() {
      return await pglite.dumpDataDir("none");
    },
    async close() {
      if (!pglite.closed) await pglite.close();
    },
  };
}

/** A PGlite configured as both adapters expect; shared with the worker that owns one (pglite-worker.ts). */
export async function createPglite(options: PgliteOptions): Promise<PGlite> {
  // PGlite creates only the last folder of the path.
  if (options.dataDir) mkdirSync(dirname(options.dataDir), { recursive: true });
  return await PGlite.create({
    ...(options.assets ?? (await pgliteAssets())),
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    // PostgreSQL's default 128MB of shared buffers is most of an idle embedded process's memory;
    // the system's tables are small and the OS page cache backs them anyway (docs/performance.md).
    postgresqlconf: ["shared_buffers = 32MB"],
    // PGlite returns bigint as BigInt; the postgres package returns string.
    parsers: { [types.INT8]: (value: string) => value },
    // PGlite sends a string as raw JSON text; the postgres package encodes it as a JSON string.
    serializers: { [types.JSON]: encodeJson, [types.JSONB]: encodeJson },
  });
}

/** Queries on PGlite or one of its transactions, with the parameter handling of database.ts. */
export function pgliteQueryable(target: PGlite | Transaction): Queryable {
  return {
    async query<T>(sql: string, params?: readonly unknown[]) {
      if (params === undefined || params.length === 0) {
        // The simple protocol: allows several statements (migrations); rows of the last one.
        const results = await target.exec(sql);
        return (results.at(-1)?.rows ?? []) as T[];
      }
      const result = await target.query<T>(sql, params.map(nullForUndefined));
      return result.rows;
    },
  };
}

function encodeJson(value: unknown): string {
  return JSON.stringify(value);
}

function nullForUndefined(value: unknown): unknown {
  return value === undefined ? null : value;
}
