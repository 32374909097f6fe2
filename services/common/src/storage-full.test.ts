import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { httpErrors } from "./http-errors.ts";
import { createMemoryLogger } from "./logger.ts";
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
