import { afterAll, afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryLogger } from "@todo/common";
import type { Database } from "./database.ts";
import { migrate, MigrationError, readMigrations } from "./migrate.ts";
import { shippedMigrations as builtIn } from "./migrations/index.ts";
import { openPostgresDatabase } from "./postgres-database.ts";
import { createScratchPostgres, testDatabases, testDatabaseUrl } from "@todo/testkit/databases";

const shippedMigrations = join(import.meta.dir, "migrations");
/** Every migration this build ships, in order: the tests stay right as migrations are added. */
const shipped = readdirSync(shippedMigrations)
  .filter((file) => file.endsWith(".sql"))
  .map((file) => file.replace(/\.sql$/, ""))
  .sort();
const asRows = (names: string[]) => names.map((name) => ({ name }));

async function tableNames(db: Database): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  return rows.map((row) => row.name);
}

test("the migrations built into the program are exactly the .sql files of the migrations directory", async () => {
  const onDisk = await readMigrations(shippedMigrations);
  expect(builtIn.map(({ fileName, sql }) => ({ name: fileName.replace(/\.sql$/, ""), sql }))).toEqual(
    onDisk.map(({ name, sql }) => ({ name, sql })),
  );
});

describe.each(testDatabases({ withWorker: true }))("migrate on $name", ({ openEmpty }) => {
  let db: Database;
  let directory: string;
  beforeEach(async () => {
    db = await openEmpty();
    directory = await mkdtemp(join(tmpdir(), "chat-api-migrations-"));
    await cp(shippedMigrations, directory, { recursive: true });
  });
  afterEach(async () => {
    await db.close();
    await rm(directory, { recursive: true, force: true });
  });

  test("an empty database gets the schema, and the second run applies nothing", async () => {
    const logger = createMemoryLogger();
    expect(await migrate(db, { logger })).toEqual({ applied: shipped });
    expect(await tableNames(db)).toEqual(["audit_entries", "calendar_feeds", "conversations", "messages", "outbox", "schema_migrations", "tasks", "users"]);
    expect(logger.records).toContainEqual(expect.objectContaining({ msg: "migration applied", migration: "0001_init" }));

    expect(await migrate(db)).toEqual({ applied: [] });
    expect(await db.query("SELECT name FROM schema_migrations ORDER BY name")).toEqual(asRows(shipped));
  });

  test("a migration added later is applied on its own, after the ones before it", async () => {
    await migrate(db, { directory });
    await writeFile(join(directory, "9002_task_notes.sql"), "ALTER TABLE tasks ADD COLUMN notes text;\n");
    expect(await migrate(db, { directory })).toEqual({ applied: ["9002_task_notes"] });
    const columns = await db.query("SELECT 1 FROM information_schema.columns WHERE table_name = 'tasks' AND column_name = 'notes'");
    expect(columns).toHaveLength(1);
  });

  test("an applied migration that was edited stops start-up with an error naming the file", async () => {
    await migrate(db, { directory });
    const file = join(directory, "0001_init.sql");
    await writeFile(file, (await readFile(file, "utf8")) + "\nCREATE TABLE sneaky (id int);\n");
    const attempt = migrate(db, { directory });
    await expect(attempt).rejects.toBeInstanceOf(MigrationError);
    await expect(migrate(db, { directory })).rejects.toThrow(/0001_init\.sql was edited after it was applied/);
    expect(await tableNames(db)).not.toContain("sneaky");
  });

  test("line endings changed by a checkout do not count as an edit", async () => {
    await migrate(db, { directory });
    const file = join(directory, "0001_init.sql");
    await writeFile(file, (await readFile(file, "utf8")).replace(/\n/g, "\r\n"));
    expect(await migrate(db, { directory })).toEqual({ applied: [] });
  });

  test("a failing migration applies nothing of the run and names the file", async () => {
    await writeFile(join(directory, "9002_broken.sql"), "ALTER TABLE no_such_table ADD COLUMN x int;\n");
    await expect(migrate(db, { directory })).rejects.toThrow(/migration 9002_broken\.sql failed/);
    expect(await tableNames(db)).toEqual([]);
  });

  test("badly named or duplicate-numbered files are refused before anything runs", async () => {
    await writeFile(join(directory, "2_oops.sql"), "SELECT 1;\n");
    await expect(migrate(db, { directory })).rejects.toThrow(/2_oops\.sql is not named NNNN_lower_snake_case\.sql/);
    await rm(join(directory, "2_oops.sql"));
    await writeFile(join(directory, "0001_again.sql"), "SELECT 1;\n");
    await expect(migrate(db, { directory })).rejects.toThrow(/share the number 0001/);
    expect(await tableNames(db)).toEqual([]);
  });

  test("a database migrated by a newer release is used with a warning", async () => {
    await writeFile(join(directory, "9002_newer.sql"), "CREATE TABLE newer (id int);\n");
    await migrate(db, { directory });
    await rm(join(directory, "9002_newer.sql"));
    const logger = createMemoryLogger();
    expect(await migrate(db, { directory, logger })).toEqual({ applied: [] });
    expect(logger.records).toContainEqual(expect.objectContaining({ level: "warn", migrations: ["9002_newer"] }));
  });
});

describe.skipIf(!testDatabaseUrl())("migrate on one PostgreSQL database from two replicas", () => {
  const handles: Database[] = [];
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(handles.map((db) => db.close()));
    await Promise.all(drops.map((drop) => drop()));
  });

  test("two concurrent runs both succeed and each migration is applied once", async () => {
    const scratch = await createScratchPostgres(testDatabaseUrl() ?? "");
    drops.push(scratch.drop);
    const replicas = [openPostgresDatabase(scratch.url), openPostgresDatabase(scratch.url)];
    handles.push(...replicas);

    const results = await Promise.all(replicas.map((db) => migrate(db)));
    expect(results.map((result) => result.applied).sort()).toEqual([[], shipped]);
    expect(await replicas[0]!.query("SELECT name FROM schema_migrations ORDER BY name")).toEqual(asRows(shipped));
  });
});
