import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Database } from "./database.ts";
import { isUniqueViolation } from "./errors.ts";
import { openDatabase } from "./open-database.ts";
import { testDatabases, testDatabaseUrl } from "@todo/testkit/databases";
import { NestedDatabaseUseError } from "./transaction-scope.ts";

const createSample = `CREATE TABLE sample (
  id uuid PRIMARY KEY, label text, labels text[], small smallint, count integer, big bigint,
  seq bigserial, flag boolean, at timestamptz, doc jsonb
)`;

const insertSample = `INSERT INTO sample (id, label, labels, small, count, big, flag, at, doc)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

const selectSample = "SELECT id, label, labels, small, count, big, seq, flag, at, doc FROM sample ORDER BY seq";

const doc = { title: "Pay rent", tags: ["home"], nested: { n: 1.5, yes: true, none: null } };
const at = new Date("2026-02-01T08:00:00.123Z");

// The same expectation for both adapters: that is what "identical types" means.
const expectedRow = {
  id: "0190f3a0-0000-7000-8000-000000000001",
  label: "rent",
  labels: ["home", "bills"],
  small: 3,
  count: 42,
  big: "9007199254740993",
  seq: "1",
  flag: true,
  at,
  doc,
};

describe.each(testDatabases({ withWorker: true }))("the $name adapter", ({ kind, open }) => {
  let db: Database;
  beforeEach(async () => {
    db = await open();
    await db.query(createSample);
  });
  afterEach(() => db.close());

  test("reports which kind of database it is", () => {
    expect(db.kind).toBe(kind);
  });

  test("parameters of every column type round-trip and come back as the documented JS types", async () => {
    await db.query(insertSample, [
      expectedRow.id,
      "rent",
      ["home", "bills"],
      3,
      42,
      "9007199254740993",
      true,
      at,
      doc,
    ]);
    const rows = await db.query(selectSample);
    expect(rows).toEqual([expectedRow]);
    const [row] = rows;
    expect(row?.at).toBeInstanceOf(Date);
    expect(Object.getPrototypeOf(rows)).toBe(Array.prototype);
  });

  test("NULLs, empty arrays and undefined parameters come back as null and []", async () => {
    await db.query(insertSample, [expectedRow.id, null, [], undefined, null, null, null, null, null]);
    expect(await db.query(selectSample)).toEqual([
      { id: expectedRow.id, label: null, labels: [], small: null, count: null, big: null, seq: "1", flag: null, at: null, doc: null },
    ]);
  });

  test("jsonb parameters are JSON-encoded whatever their JS type", async () => {
    const values = [{ a: 1 }, [1, "two"], "just text", 7, true];
    for (const [index, value] of values.entries()) {
      await db.query("INSERT INTO sample (id, doc) VALUES ($1, $2)", [`0190f3a0-0000-7000-8000-00000000000${index}`, value]);
    }
    const rows = await db.query<{ doc: unknown; kind: string }>("SELECT doc, jsonb_typeof(doc) AS kind FROM sample ORDER BY seq");
    expect(rows.map((row) => row.doc)).toEqual(values);
    expect(rows.map((row) => row.kind)).toEqual(["object", "array", "string", "number", "boolean"]);
  });

  test("a query without parameters may hold several statements and answers the rows of the last", async () => {
    const rows = await db.query("INSERT INTO sample (id, big) VALUES (gen_random_uuid(), 5); SELECT big, now() AS at FROM sample");
    expect(rows).toEqual([{ big: "5", at: expect.any(Date) }]);
  });

  test("a transaction that resolves is committed and answers the callback's value", async () => {
    const result = await db.transaction(async (tx) => {
      await tx.query("INSERT INTO sample (id) VALUES ($1)", [expectedRow.id]);
      return "done";
    });
    expect(result).toBe("done");
    expect(await db.query("SELECT id FROM sample")).toEqual([{ id: expectedRow.id }]);
  });

  test("a transaction that throws is rolled back and its error reaches the caller", async () => {
    const failure = new Error("decided against it");
    const attempt = db.transaction(async (tx) => {
      await tx.query("INSERT INTO sample (id) VALUES ($1)", [expectedRow.id]);
      throw failure;
    });
    await expect(attempt).rejects.toBe(failure);
    expect(await db.query("SELECT id FROM sample")).toEqual([]);
  });

  test("db.query inside a transaction is refused at once instead of deadlocking, and the transaction rolls back", async () => {
    const attempt = db.transaction(async (tx) => {
      await tx.query("INSERT INTO sample (id) VALUES ($1)", [expectedRow.id]);
      await db.query("SELECT 1");
    });
    await expect(attempt).rejects.toBeInstanceOf(NestedDatabaseUseError);
    await expect(db.transaction(async () => db.transaction(async () => 1))).rejects.toThrow(/inside db.transaction/);
    expect(await db.query("SELECT id FROM sample")).toEqual([]);
  });

  test("a query from elsewhere while a transaction is open completes once it can (PGlite queues it)", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const started = new Promise<void>((resolve) => (inside = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.query("INSERT INTO sample (id) VALUES ($1)", [expectedRow.id]);
      inside();
      await gate;
    });
    await started;
    const outside = db.query<{ n: string }>("SELECT count(*) AS n FROM sample");
    release();
    await transaction;
    expect((await outside).length).toBe(1);
  });

  test("a unique violation names its constraint the same way on both adapters", async () => {
    await db.query("INSERT INTO sample (id) VALUES ($1)", [expectedRow.id]);
    const error = await db.query("INSERT INTO sample (id) VALUES ($1)", [expectedRow.id]).catch((caught: unknown) => caught);
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(error, "sample_pkey")).toBe(true);
    expect(isUniqueViolation(error, "other")).toBe(false);
    expect(isUniqueViolation(new Error("not a database error"))).toBe(false);
  });

  test("the migrated schema fills the search vector and the priority rank", async () => {
    const now = new Date();
    await db.query(
      "INSERT INTO users (id, email, email_key, password_hash, created_at, updated_at) VALUES ($1, $2, $2, 'x', $3, $3)",
      ["0190f3a0-0000-7000-8000-0000000000aa", "a@example.com", now],
    );
    await db.query(
      `INSERT INTO tasks (id, user_id, title, priority, tags, created_at, updated_at)
       VALUES ($1, $2, 'Paying the rent', 'high', $3, $4, $4)`,
      [expectedRow.id, "0190f3a0-0000-7000-8000-0000000000aa", ["home"], now],
    );
    const rows = await db.query(
      "SELECT priority_rank, tags FROM tasks WHERE search @@ websearch_to_tsquery('english', $1)",
      ["pay rent"],
    );
    expect(rows).toEqual([{ priority_rank: 3, tags: ["home"] }]);
  });
});

describe.skipIf(!testDatabaseUrl())("openDatabase with a database URL", () => {
  test("speaks to that PostgreSQL server even when a data dir is given", async () => {
    const db = await openDatabase({ databaseUrl: testDatabaseUrl(), dataDir: "/nonexistent" });
    try {
      expect(db.kind).toBe("postgres");
      const [row] = await db.query<{ version: string }>("SELECT version()");
      expect(row?.version).toStartWith("PostgreSQL");
    } finally {
      await db.close();
    }
  });
});
