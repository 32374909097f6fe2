import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

/**
 * The runtime's own store: one SQLite file in WAL mode under DATA_DIR.
 * synchronous=NORMAL keeps every committed write across a process crash
 * (kill -9); only a power loss can take the last transactions.
 * Each module (pub/sub log, state, jobs) creates its own tables.
 */
export function openRuntimeDb(dataDir: string): Database {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, "runtime.sqlite"), { create: true, strict: true });
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA foreign_keys = ON");
  return db;
}
