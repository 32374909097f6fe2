import type { Logger } from "@todo/common";
import type { Database } from "./database.ts";
import { migrate } from "./migrate.ts";
import { openDatabase, type OpenDatabaseOptions } from "./open-database.ts";

/**
 * Start-up: open the app database and bring its schema up to date before
 * anything serves requests. A failed migration closes the database and
 * throws, so the process exits instead of running on a half-known schema.
 */
export async function openMigratedDatabase(options: OpenDatabaseOptions, logger: Logger): Promise<Database> {
  const db = await openDatabase(options);
  try {
    const { applied } = await migrate(db, { logger });
    logger.info("database ready", { kind: db.kind, appliedMigrations: applied });
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}
