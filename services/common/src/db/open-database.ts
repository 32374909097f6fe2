import type { Database } from "./database.ts";
import { openPgliteDatabase } from "./pglite-database.ts";
import { openPgliteWorkerDatabase } from "./pglite-worker-database.ts";
import { openPostgresDatabase } from "./postgres-database.ts";

export interface OpenDatabaseOptions {
  /** A PostgreSQL server (distributed mode). Wins over dataDir. */
  databaseUrl?: string;
  /** PGlite's files (embedded mode); in memory when omitted too. */
  dataDir?: string;
  /** Run PGlite in a worker thread, off the thread that serves requests (the embedded host). */
  pgliteWorker?: boolean;
}

/** The app database: PostgreSQL when DATABASE_URL is set, else embedded PGlite under DATA_DIR. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgresDatabase(options.databaseUrl);
  if (options.pgliteWorker) return await openPgliteWorkerDatabase({ dataDir: options.dataDir });
  return await openPgliteDatabase({ dataDir: options.dataDir });
}
