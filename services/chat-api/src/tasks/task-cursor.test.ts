import { describe, expect, test } from "bun:test";
import { AppError } from "@todo/common";
import { expectedVersionOf } from "./if-match.ts";
import { decodeCursor, encodeCursor } from "./task-cursor.ts";
import { listFingerprint, normaliseListQuery } from "./task-query.ts";

const ID = "0190f3a0-0000-7000-8000-000000000001";

function rejection(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("cursors", () => {
  const fingerprint = listFingerprint(normaliseListQuery({ sort: "due" }));

  test("round-trip the position for the list they came from", () => {
    for (const key of ["2030-03-01T09:00:00.000Z", null]) {
      expect(decodeCursor(encodeCursor({ key, id: ID }, fingerprint), "due", fingerprint)).toEqual({ key, id: ID });
    }
  });

  test("are bound to sort, order and filters, but not to the page size", () => {
    const base = normaliseListQuery({ sort: "due", tags: ["b", "a"] });
    expect(listFingerprint(normaliseListQuery({ sort: "due", tags: ["A", "b"], limit: 7 }))).toBe(listFingerprint(base));
    for (const other of [{ sort: "title" as const }, { sort: "due" as const, order: "desc" as const }, { sort: "due" as const, q: "rent" }]) {
      expect(listFingerprint(normaliseListQuery(other))).not.toBe(fingerprint);
    }
    const cursor = encodeCursor({ key: null, id: ID }, fingerprint);
    const error = rejection(() => decodeCursor(cursor, "due", listFingerprint(normaliseListQuery({ sort: "due", order: "desc" }))));
    expect([error.status, error.code]).toEqual([400, "invalid_cursor"]);
  });

  test.each([
    ["garbage", "not base64!"],
    ["base64 of non-JSON", Buffer.from("hello").toString("base64url")],
    ["a JSON array", Buffer.from("[1,2]").toString("base64url")],
    ["an id that is not a UUID", Buffer.from(JSON.stringify({ k: null, i: "x'; DROP", f: "f" })).toString("base64url")],
  ])("%s is a 400, not a database error", (_name, cursor) => {
    expect(rejection(() => decodeCursor(cursor, "due", fingerprint)).status).toBe(400);
  });

  test("a key of the wrong shape for the sort is a 400 even with the right fingerprint", () => {
    for (const key of ["2030-02-30T09:00:00.000Z", "yesterday", 3]) {
      const cursor = encodeCursor({ key, id: ID }, fingerprint);
      expect(rejection(() => decodeCursor(cursor, "due", fingerprint)).code).toBe("invalid_cursor");
    }
  });
});

describe("If-Match", () => {
  test("names a version as the ETag we send, or bare", () => {
    expect(expectedVersionOf('"3"')).toBe(3);
    expect(expectedVersionOf(" 12 ")).toBe(12);
    expect(expectedVersionOf(undefined)).toBeUndefined();
    expect(expectedVersionOf("*")).toBeUndefined();
  });

  test.each(['W/"3"', '"3", "4"', "three", '"0"', '"3', ""])("%j is a 400", (header) => {
    const error = rejection(() => expectedVersionOf(header));
    expect([error.status, error.code]).toEqual([400, "invalid_if_match"]);
  });
});
