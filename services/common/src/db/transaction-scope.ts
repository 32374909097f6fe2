import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Catches `db.query` / `db.transaction` called from inside a running
 * `db.transaction` callback. PGlite is one connection held by the open
 * transaction, so such a call would wait for the transaction that waits for
 * it: a deadlock. On PostgreSQL it would silently run on another connection,
 * outside the transaction. Both adapters therefore reject it at once with the
 * same error; the callback must use the `tx` it was given.
 */
export class NestedDatabaseUseError extends Error {
  override name = "NestedDatabaseUseError";
}

export interface TransactionScope {
  run<T>(work: () => Promise<T>): Promise<T>;
  assertOutside(operation: "query" | "transaction"): void;
}

export function createTransactionScope(): TransactionScope {
  const inside = new AsyncLocalStorage<true>();
  return {
    run: (work) => inside.run(true, work),
    assertOutside(operation) {
      if (inside.getStore()) {
        throw new NestedDatabaseUseError(
          `db.${operation}() was called inside db.transaction(): use the tx passed to the transaction callback`,
        );
      }
    },
  };
}
