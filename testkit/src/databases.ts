import { beforeAll } from "bun:test";
import postgres from "postgres";
import {
  migrate,
  openPgliteDatabase,
  openPgliteWorkerDatabase,
  openPostgresDatabase,
  type Database,
  type PgliteDatabase,
} from "@todo/common/db";

export interface TestDatabase {
  name: "pglite" | "pglite-worker" | "postgres";
  /** What `db.kind` answers: the worker adapter is PGlite too. */
  kind: Database["kind"];
  /** A fresh, migrated database nobody else uses; close() it after the test (postgres: drops it). */
  open(): Promise<Database>;
  /** The same, but without migrations applied (migration tests). */
  openEmpty(): Promise<Database>;
}

/**
 * The databases every repository test runs on: PGlite always, PostgreSQL too
 * when DATABASE_URL is set (CI sets it), and with `withWorker` PGlite in a
 * worker thread as well. Use as
 * `describe.each(testDatabases())("on $name", ({ open }) => ...)`.
 *
 * It also registers a beforeAll that builds the PGlite templates: compiling
 * PGlite, initdb and migrations take seconds, more than one test's timeout,
 * and would otherwise land on whichever test opens a database first.
 */
export function testDatabases(options: { withWorker?: boolean } = {}): TestDatabase[] {
  beforeAll(() => pgliteTemplate(true).then(() => {}), 60_000);
  const list: TestDatabase[] = [
    { name: "pglite", kind: "pglite", open: () => openPgliteClone(true), openEmpty: () => openPgliteClone(false) },
  ];
  // The database contract tests also run on PGlite in a worker thread (the embedded host's adapter).
  if (options.withWorker) {
    list.push({
      name: "pglite-worker",
      kind: "pglite",
      open: async () => await openPgliteWorkerDatabase({ loadDataDir: await pgliteTemplate(true) }),
      openEmpty: async () => await openPgliteWorkerDatabase({ loadDataDir: await pgliteTemplate(false) }),
    });
  }
  const url = testDatabaseUrl();
  if (url) {
    list.push({
      name: "postgres",
      kind: "postgres",
      open: () => openScratchPostgres(url, true),
      openEmpty: () => openScratchPostgres(url, false),
    });
  }
  return list;
}

export function testDatabaseUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

// initdb and migrations cost seconds of WASM work on PGlite; clone templates made once per test process instead.
const pgliteTemplates = new Map<boolean, Promise<Blob>>();

function pgliteTemplate(migrated: boolean): Promise<Blob> {
  let template = pgliteTemplates.get(migrated);
  if (!template) {
    template = dumpPgliteTemplate(migrated);
    pgliteTemplates.set(migrated, template);
  }
  return template;
}

async function openPgliteClone(migrated: boolean): Promise<PgliteDatabase> {
  return await openPgliteDatabase({ loadDataDir: await pgliteTemplate(migrated) });
}

async function dumpPgliteTemplate(migrated: boolean): Promise<Blob> {
  // The migrated template starts from the empty one: initdb runs once per process.
  const template = await (migrated ? openPgliteClone(false) : openPgliteDatabase());
  try {
    if (migrated) await migrate(template);
    return await template.dumpDataDir();
  } finally {
    await template.close();
  }
}

async function openScratchPostgres(adminUrl: string, migrated: boolean): Promise<Database> {
  const scratch = await createScratchPostgres(adminUrl);
  const db = openPostgresDatabase(scratch.url, { maxConnections: 4, applicationName: "chat-api-test" });
  const close = async () => {
    await db.close();
    await scratch.drop();
  };
  try {
    if (migrated) await migrate(db);
  } catch (error) {
    await close();
    throw error;
  }
  return { kind: db.kind, query: db.query, transaction: db.transaction, close };
}

export interface ScratchPostgres {
  /** Connection string of the new, empty database. */
  url: string;
  /** Drops it, closing whatever is still connected. */
  drop(): Promise<void>;
}

/** An empty database on the server of `adminUrl` (tests that need it unmigrated or twice connected). */
export async function createScratchPostgres(adminUrl: string): Promise<ScratchPostgres> {
  const name = `chat_api_test_${crypto.randomUUID().replaceAll("-", "")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
