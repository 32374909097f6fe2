import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPgliteWorkerDatabase } from "./pglite-worker-database.ts";

// The shared contract (types, transactions, errors) runs on this adapter in database.test.ts; these are its own concerns.
setDefaultTimeout(60_000);

const parent = await mkdtemp(join(tmpdir(), "pglite-worker-"));
afterAll(() => rm(parent, { recursive: true, force: true }));

test("a file-backed database keeps committed rows across close and reopen, and not rolled-back ones", async () => {
  const dataDir = join(parent, "reopen", "db");
  const first = await openPgliteWorkerDatabase({ dataDir });
  await first.query("CREATE TABLE notes (id int PRIMARY KEY, body text)");
  await first.transaction(async (tx) => {
    await tx.query("INSERT INTO notes VALUES ($1, $2)", [1, "kept"]);
  });
  await first
    .transaction(async (tx) => {
      await tx.query("INSERT INTO notes VALUES ($1, $2)", [2, "dropped"]);
      throw new Error("changed my mind");
    })
    .catch(() => {});
  await first.close();

  const second = await openPgliteWorkerDatabase({ dataDir });
  try {
    expect(await second.query("SELECT id, body FROM notes ORDER BY id")).toEqual([{ id: 1, body: "kept" }]);
  } finally {
    await second.close();
  }
});

test("a PostgreSQL error crosses the thread with its SQLSTATE and details; a closed database refuses calls", async () => {
  const db = await openPgliteWorkerDatabase();
  const error = await db.query("SELECT * FROM missing_table WHERE id = $1", [1]).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(Error);
  expect(error).toMatchObject({ code: "42P01", message: 'relation "missing_table" does not exist' });
  await db.close();
  await expect(db.query("SELECT 1")).rejects.toThrow("the database is closed");
  await db.close();
});

test("a data directory that cannot be created fails the open with the reason", async () => {
  await expect(openPgliteWorkerDatabase({ dataDir: "/proc/not-here/db" })).rejects.toThrow();
});
