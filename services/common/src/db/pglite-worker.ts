/// <reference lib="webworker" />
/**
 * The worker thread that owns one PGlite (see pglite-worker-database.ts):
 * PostgreSQL's WASM and its protocol glue run here, off the thread that
 * serves HTTP. It answers the requests of pglite-worker-protocol.ts in the
 * order PGlite completes them; PGlite itself serialises them (one
 * connection), so a query from outside an open transaction waits for it.
 */
import type { PGlite, Transaction } from "@electric-sql/pglite";
import { createPglite, pgliteQueryable } from "./pglite-database.ts";
import { serializeError, type WorkerReply, type WorkerRequest } from "./pglite-worker-protocol.ts";

declare const self: Worker;

interface OpenTransaction {
  tx: Transaction;
  /** Ends the callback given to pglite.transaction: commit when it resolves, rollback when it rejects. */
  finish: (commit: boolean) => void;
  /** pglite.transaction's own promise: settled once COMMIT or ROLLBACK ran. */
  done: Promise<unknown>;
}

class RolledBack extends Error {}

let pglite: PGlite | undefined;
let nextTransaction = 1;
const transactions = new Map<number, OpenTransaction>();

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  handle(request).then(
    (value) => reply({ id: request.id, ok: true, value }),
    (error: unknown) => reply({ id: request.id, ok: false, error: serializeError(error) }),
  );
};

function reply(message: WorkerReply): void {
  self.postMessage(message);
}

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case "open":
      pglite = await createPglite({
        dataDir: request.dataDir,
        loadDataDir: request.loadDataDir ? new Blob([request.loadDataDir]) : undefined,
        assets: request.assets,
      });
      // initdb's WASM instance and memory (hundreds of MB) are garbage once open returns, but this
      // thread allocates too little for its collector to run on its own: the process would keep them.
      setTimeout(() => Bun.gc(true), 0);
      return null;
    case "query": {
      const target = request.tx === undefined ? opened() : transaction(request.tx).tx;
      return await pgliteQueryable(target).query(request.sql, request.params);
    }
    case "begin":
      return await begin();
    case "commit":
    case "rollback": {
      const open = transaction(request.tx);
      transactions.delete(request.tx);
      open.finish(request.op === "commit");
      await open.done.catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
      return null;
    }
    case "close":
      if (pglite && !pglite.closed) await pglite.close();
      return null;
  }
}

/** Answers once PGlite has started the transaction (after any transaction already open). */
function begin(): Promise<number> {
  return new Promise((resolve, reject) => {
    const id = nextTransaction++;
    const done = opened().transaction(
      (tx) =>
        new Promise<void>((commit, rollback) => {
          transactions.set(id, { tx, finish: (ok) => (ok ? commit() : rollback(new RolledBack())), done });
          resolve(id);
        }),
    );
    // BEGIN itself failed: the callback never ran.
    done.catch(reject);
  });
}

function opened(): PGlite {
  if (!pglite || pglite.closed) throw new Error("the database is not open");
  return pglite;
}

function transaction(id: number): OpenTransaction {
  const open = transactions.get(id);
  if (!open) throw new Error("the transaction has already ended");
  return open;
}
