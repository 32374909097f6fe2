import type { Database } from "bun:sqlite";

/**
 * Dapr state in the runtime's SQLite file, with the semantics daprd gives
 * state.redis / state.postgresql v2: ETags (optimistic concurrency),
 * first-write, multi-item atomic saves, transactions (no rollback, as on Redis) and per-item TTL.
 *
 * Keys here are the keys as stored (`<appId>||<key>`); the HTTP layer adds
 * the app prefix, so apps are isolated from each other by construction.
 */

export type Concurrency = "first-write" | "last-write";

export interface StateWrite {
  /** Stored key, already prefixed with the app id. */
  key: string;
  /** Any JSON value; stored and returned as JSON text. */
  value: unknown;
  /** When given, the write only succeeds if the item exists with this ETag. */
  etag?: string;
  /** Seconds until the item expires; undefined, 0 or -1 = never. */
  ttlSeconds?: number;
  /** `first-write` without an ETag only inserts (an existing key fails). */
  concurrency?: Concurrency;
}

export interface StateDeletion {
  key: string;
  /** When given, the delete only succeeds if the item exists with this ETag. */
  etag?: string;
}

export type StateOperation =
  | { operation: "upsert"; request: StateWrite }
  | { operation: "delete"; request: StateDeletion };

export interface StateItem {
  key: string;
  /** The value as JSON text, exactly as the HTTP API returns it. */
  json: string;
  etag: string;
  /** Epoch milliseconds when the item expires; undefined = never. */
  expiresAt?: number;
}

export interface StateStore {
  /** Undefined when the key is missing or expired. */
  get(store: string, key: string): StateItem | undefined;
  /** One entry per key, in order; undefined where missing or expired. */
  getMany(store: string, keys: string[]): (StateItem | undefined)[];
  /** All writes or none (throws StateError). */
  save(store: string, writes: StateWrite[]): void;
  /** Deleting a missing key without an ETag succeeds (throws StateError on mismatch). */
  delete(store: string, key: string, etag?: string): void;
  /**
   * All operations in order in one SQLite transaction. Like daprd over Redis,
   * an operation whose ETag or first-write check fails is skipped, the others
   * are applied, and the call throws the first StateError.
   */
  transact(store: string, operations: StateOperation[]): void;
  /** Removes expired rows (reads already hide them); returns how many. */
  sweepExpired(): number;
  /** Runs sweepExpired on a timer until stop(). */
  start(): void;
  stop(): void;
}

/** `etag-mismatch` maps to daprd's 409; `already-exists` (first-write) to 500, as with Redis. */
export type StateErrorKind = "etag-mismatch" | "already-exists";

export class StateError extends Error {
  constructor(
    readonly kind: StateErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "StateError";
  }
}

export interface StateStoreOptions {
  now?: () => number;
  /** How often start() sweeps expired rows; default one minute. */
  sweepIntervalMs?: number;
}

interface Row {
  value: string;
  etag: string;
  expires_at: number | null;
}

export function createStateStore(db: Database, options: StateStoreOptions = {}): StateStore {
  const now = options.now ?? Date.now;
  const sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  createTables(db);

  const selectLive = db.query<Row, { store: string; key: string; now: number }>(
    `SELECT value, etag, expires_at FROM state_items
     WHERE store = $store AND key = $key AND (expires_at IS NULL OR expires_at > $now)`,
  );
  const upsert = db.query(
    `INSERT INTO state_items (store, key, value, etag, expires_at)
     VALUES ($store, $key, $value, $etag, $expiresAt)
     ON CONFLICT (store, key) DO UPDATE SET value = excluded.value, etag = excluded.etag, expires_at = excluded.expires_at`,
  );
  const remove = db.query(`DELETE FROM state_items WHERE store = $store AND key = $key`);
  const bumpEtag = db.query<{ value: number }, []>(`UPDATE state_etag_counter SET value = value + 1 WHERE id = 1 RETURNING value`);
  const deleteExpired = db.query(`DELETE FROM state_items WHERE expires_at IS NOT NULL AND expires_at <= $now`);

  const readLive = (store: string, key: string, at: number): StateItem | undefined => {
    const row = selectLive.get({ store, key, now: at });
    if (!row) return undefined;
    return { key, json: row.value, etag: row.etag, ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }) };
  };

  // Callers hold a write transaction, so check-then-write cannot interleave
  // with another connection to the same file.
  const applyWrite = (store: string, write: StateWrite, at: number) => {
    const current = readLive(store, write.key, at);
    if (write.etag !== undefined && write.etag !== "") {
      if (!current || current.etag !== write.etag) {
        throw new StateError("etag-mismatch", `possible etag mismatch for key ${write.key}`);
      }
    } else if (write.concurrency === "first-write" && current) {
      throw new StateError("already-exists", `failed to set key ${write.key}: first-write and the key already exists`);
    }
    // A global counter rather than a per-key version: an ETag read before a
    // delete can never match the item re-created after it.
    const etag = String(bumpEtag.get()?.value);
    const ttl = write.ttlSeconds ?? 0;
    const expiresAt = ttl > 0 ? at + ttl * 1000 : null;
    upsert.run({ store, key: write.key, value: JSON.stringify(write.value ?? null), etag, expiresAt });
  };

  const applyDelete = (store: string, deletion: StateDeletion, at: number) => {
    if (deletion.etag !== undefined && deletion.etag !== "") {
      const current = readLive(store, deletion.key, at);
      if (!current || current.etag !== deletion.etag) {
        throw new StateError("etag-mismatch", `possible etag mismatch for key ${deletion.key}`);
      }
    }
    remove.run({ store, key: deletion.key });
  };

  const saveAll = db.transaction((store: string, writes: StateWrite[], at: number) => {
    for (const write of writes) applyWrite(store, write, at);
  });
  const deleteOne = db.transaction((store: string, deletion: StateDeletion, at: number) => applyDelete(store, deletion, at));
  // daprd over state.redis runs a transaction as one MULTI/EXEC of per-key
  // scripts: an operation whose ETag no longer matches fails, the others are
  // applied anyway (Redis has no rollback), and the request answers 500. The
  // real stack does exactly that, so apps must not rely on a rollback here either.
  const runOperations = db.transaction((store: string, operations: StateOperation[], at: number) => {
    const failures: StateError[] = [];
    for (const op of operations) {
      try {
        if (op.operation === "upsert") applyWrite(store, op.request, at);
        else applyDelete(store, op.request, at);
      } catch (error) {
        if (!(error instanceof StateError)) throw error;
        failures.push(error);
      }
    }
    return failures;
  });

  let timer: ReturnType<typeof setInterval> | undefined;

  const store: StateStore = {
    get: (storeName, key) => readLive(storeName, key, now()),
    getMany: (storeName, keys) => {
      const at = now();
      return keys.map((key) => readLive(storeName, key, at));
    },
    save: (storeName, writes) => saveAll.immediate(storeName, writes, now()),
    delete: (storeName, key, etag) => deleteOne.immediate(storeName, etag === undefined ? { key } : { key, etag }, now()),
    transact: (storeName, operations) => {
      const [failure] = runOperations.immediate(storeName, operations, now());
      if (failure) throw failure;
    },
    sweepExpired: () => deleteExpired.run({ now: now() }).changes,
    start: () => {
      if (timer) return;
      timer = setInterval(() => {
        try {
          store.sweepExpired();
        } catch {
          // The db may be closing; the next start() or read-time check covers it.
        }
      }, sweepIntervalMs);
      timer.unref?.();
    },
    stop: () => {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
  return store;
}

function createTables(db: Database) {
  db.exec(`
    CREATE TABLE IF NOT EXISTS state_items (
      store TEXT NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      etag TEXT NOT NULL,
      expires_at INTEGER,
      PRIMARY KEY (store, key)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS state_items_expiry ON state_items (expires_at) WHERE expires_at IS NOT NULL;
    CREATE TABLE IF NOT EXISTS state_etag_counter (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
    INSERT OR IGNORE INTO state_etag_counter (id, value) VALUES (1, 0);
  `);
}
