import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "@todo/common";
import { advisoryLocks } from "./advisory-locks.ts";
import type { Database, Queryable } from "./database.ts";
import { shippedMigrations } from "./migrations/index.ts";

export interface MigrateOptions {
  logger?: Logger;
  /** Where the numbered .sql files are (default: the ones in ./migrations, built in; tests use a copy). */
  directory?: string;
}

export interface MigrationFile {
  /** The file name without .sql, e.g. "0001_init": what schema_migrations records. */
  name: string;
  number: number;
  sql: string;
  checksum: string;
}

/** An applied migration whose file changed, or a malformed migrations directory: start-up must stop. */
export class MigrationError extends Error {
  override name = "MigrationError";
}

const fileNamePattern = /^(\d{4})_[a-z0-9_]+\.sql$/;

/**
 * Applies pending forward-only migrations in number order, all in one
 * transaction under an advisory lock: replicas starting together wait for
 * each other and each migration runs once. Refuses to run when a migration
 * that was already applied has been edited since.
 */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const files = options.directory ? await readMigrations(options.directory) : parseMigrations(shippedMigrations);
  const applied = await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1, $2)", [...advisoryLocks.migrations]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         name text PRIMARY KEY,
         checksum text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = await appliedChecksums(tx);
    checkUnchanged(files, done, options.logger);
    const pending = files.filter((file) => !done.has(file.name));
    for (const file of pending) {
      try {
        await tx.query(file.sql);
      } catch (error) {
        throw new MigrationError(`migration ${file.name}.sql failed: ${(error as Error).message}`, { cause: error });
      }
      await tx.query("INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)", [file.name, file.checksum]);
    }
    return pending.map((file) => file.name);
  });
  for (const name of applied) options.logger?.info("migration applied", { migration: name });
  return { applied };
}

export async function readMigrations(directory: string): Promise<MigrationFile[]> {
  const names = (await readdir(directory)).filter((name) => name.endsWith(".sql"));
  const sources = await Promise.all(names.map(async (fileName) => ({ fileName, sql: await readFile(join(directory, fileName), "utf8") })));
  return parseMigrations(sources);
}

/** Checks names and numbering, in file-name order. */
export function parseMigrations(sources: { fileName: string; sql: string }[]): MigrationFile[] {
  const files: MigrationFile[] = [];
  const byName = new Map(sources.map((source) => [source.fileName, source.sql]));
  for (const fileName of [...byName.keys()].sort()) {
    const sql = byName.get(fileName)!;
    const match = fileNamePattern.exec(fileName);
    if (!match) throw new MigrationError(`migration file ${fileName} is not named NNNN_lower_snake_case.sql`);
    const number = Number(match[1]);
    const previous = files.at(-1);
    if (previous?.number === number) {
      throw new MigrationError(`migrations ${previous.name}.sql and ${fileName} share the number ${match[1]}`);
    }
    files.push({ name: fileName.slice(0, -".sql".length), number, sql, checksum: checksumOf(sql) });
  }
  return files;
}

/** Line endings are normalised so a checkout with CRLF does not count as an edit. */
export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql.replace(/\r\n/g, "\n")).digest("hex");
}

async function appliedChecksums(tx: Queryable): Promise<Map<string, string>> {
  const rows = await tx.query<{ name: string; checksum: string }>("SELECT name, checksum FROM schema_migrations");
  return new Map(rows.map((row) => [row.name, row.checksum]));
}

function checkUnchanged(files: MigrationFile[], applied: Map<string, string>, logger?: Logger): void {
  for (const file of files) {
    const checksum = applied.get(file.name);
    if (checksum !== undefined && checksum !== file.checksum) {
      throw new MigrationError(
        `migration ${file.name}.sql was edited after it was applied (checksum ${checksum.slice(0, 12)} in schema_migrations, ` +
          `${file.checksum.slice(0, 12)} on disk); migrations are forward-only: restore the file and put the change in a new migration`,
      );
    }
  }
  const known = new Set(files.map((file) => file.name));
  const unknown = [...applied.keys()].filter((name) => !known.has(name));
  // A newer release migrated this database (e.g. during a rollback): keep going, its migrations are additive.
  if (unknown.length > 0) logger?.warn("database has migrations this build does not know", { migrations: unknown.sort() });
}
