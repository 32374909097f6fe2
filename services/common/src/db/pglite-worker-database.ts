import type { Database, Queryable } from "./database.ts";
import { pgliteAssets } from "./pglite-assets.ts";
import { deserializeError, type WorkerReply, type WorkerRequest } from "./pglite-worker-protocol.ts";
import { createTransactionScope } from "./transaction-scope.ts";

export interface PgliteWorkerOptions {
  /** Directory of a file-backed database; in memory when omitted. */
  dataDir?: string;
  /** A data directory tarball (from `dumpDataDir`) to start from (tests clone a template). */
  loadDataDir?: Blob;
}

// A request without its id: the adapter numbers them.
type Request = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, "id"> : never) : never;

/**
 * PGlite in a worker thread: the same database, SQL, types and errors as
 * the in-process adapter (pglite-database.ts), but PostgreSQL's WASM runs on
 * another core while this thread serves HTTP. Every call is a message to the
 * worker (pglite-worker.ts); a transaction is begin, its queries, then
 * commit or rollback.
 */
export async function openPgliteWorkerDatabase(options: PgliteWorkerOptions = {}): Promise<Database> {
  const worker = new Worker(workerEntry());
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let failure: Error | undefined;

  const fail = (error: Error) => {
    failure ??= error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.onmessage = (event: MessageEvent<WorkerReply>) => {
    const reply = event.data;
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiting?.resolve(reply.value);
    else waiting?.reject(deserializeError(reply.error));
  };
  worker.onerror = (event) => fail(new Error(`the PGlite worker failed: ${event.message}`));
  worker.addEventListener("close", () => fail(new Error("the PGlite worker has stopped")));

  const call = <T>(request: Request): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });

  try {
    const loadDataDir = options.loadDataDir ? await options.loadDataDir.arrayBuffer() : undefined;
    // Compiled once per process and cloned into each worker: compiling PGlite's WASM takes seconds.
    await call({ op: "open", dataDir: options.dataDir, loadDataDir, assets: await pgliteAssets() });
  } catch (error) {
    worker.terminate();
    throw error;
  }

  const scope = createTransactionScope();
  const queryIn = (tx?: number): Queryable => ({
    query: <T>(sql: string, params?: readonly unknown[]) => call<T[]>({ op: "query", sql, params, tx }),
  });
  const direct = queryIn();
  let closed = false;

  return {
    kind: "pglite",
    async query(sql, params) {
      scope.assertOutside("query");
      return await direct.query(sql, params);
    },
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      scope.assertOutside("transaction");
      const tx = await call<number>({ op: "begin" });
      let result: T;
      try {
        result = await scope.run(() => work(queryIn(tx)));
      } catch (error) {
        // The caller's error matters, not a failed rollback's (the worker dying fails every call anyway).
        await call({ op: "rollback", tx }).catch(() => {});
        throw error;
      }
      await call({ op: "commit", tx });
      return result;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        if (!failure) await call({ op: "close" });
      } finally {
        fail(new Error("the database is closed"));
        worker.terminate();
      }
    },
  };
}

/**
 * Where the worker's code is. A `bun build --compile` binary holds it only
 * when built with it as an extra entry point, under the path relative to
 * `--root`: build from the repository root with
 * `--root . <main.ts> services/common/src/db/pglite-worker.ts`.
 */
function workerEntry(): string | URL {
  if (import.meta.url.startsWith("file:///$bunfs/")) return "/$bunfs/root/services/common/src/db/pglite-worker.ts";
  return new URL("./pglite-worker.ts", import.meta.url);
}
