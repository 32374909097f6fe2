import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { httpErrors } from "./http-errors.ts";
import { createMemoryLogger } from "./logger.ts";
import { isDatabaseUnavailable } from "./database-unavailable.ts";
import { isStorageFull } from "./storage-full.ts";

describe("a full disk", () => {
  test("is recognised from PostgreSQL/PGlite, SQLite, file writes and errors that wrap them", () => {
    expect(isStorageFull(new Error('could not extend file "base/5/16412_fsm": No space left on device'))).toBe(true);
    expect(isStorageFull(Object.assign(new Error("disk full"), { code: "53100" }))).toBe(true);
    expect(isStorageFull(new Error("failed saving state in state store statestore: database or disk is full"))).toBe(true);
    expect(isStorageFull(Object.assign(new Error("write failed"), { code: "ENOSPC" }))).toBe(true);
    expect(isStorageFull(new Error("publish failed", { cause: new Error("SQLITE_FULL: database or disk is full") }))).toBe(true);
    expect(isStorageFull(new Error("connection refused"))).toBe(false);
    expect(isStorageFull(new Error('duplicate key value violates unique constraint "tasks_pkey"'))).toBe(false);
    expect(isStorageFull("No space left on device")).toBe(false);
  });

  test("answers 503 storage_full with Retry-After, not 500, and says the change was not saved", async () => {
    const logger = createMemoryLogger();
    const app = new Elysia()
      .use(httpErrors(logger))
      .post("/write", () => {
        throw new Error('could not extend file "base/5/1": No space left on device');
      })
      .post("/other", () => {
        throw new Error("something else");
      });
    const full = await app.handle(new Request("http://localhost/write", { method: "POST" }));
    expect(full.status).toBe(503);
    expect(full.headers.get("retry-after")).toBe("30");
    const body = (await full.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("storage_full");
    expect(body.error.message).toContain("not saved");
    expect((await app.handle(new Request("http://localhost/other", { method: "POST" }))).status).toBe(500);
  });
});

describe("an unavailable database", () => {
  test("is recognised from refused or dropped connections and the server's shutting-down/starting-up answers", () => {
    expect(isDatabaseUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("write CONNECTION_CLOSED 127.0.0.1:5432"), { code: "CONNECTION_CLOSED" }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("the database system is starting up"), { code: "57P03" }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
    expect(isDatabaseUnavailable(new Error("connection refused, said a title"))).toBe(false);
  });

  test("answers 503 database_unavailable with Retry-After", async () => {
    const app = new Elysia().use(httpErrors(createMemoryLogger())).post("/write", () => {
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    });
    const response = await app.handle(new Request("http://localhost/write", { method: "POST" }));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("database_unavailable");
  });
});
