import { AppError, UUID_PATTERN } from "@todo/common";
import type { SortField } from "./task-query.ts";

/** Where a page ended: the last row's sort key and id (the tie-breaker). */
export interface CursorPosition {
  /** An ISO instant (due, created, updated; null: no due date), a priority rank, or a lower-cased title. */
  key: string | number | null;
  id: string;
}

interface CursorJson {
  k: string | number | null;
  i: string;
  /** The fingerprint of the list the cursor belongs to. */
  f: string;
}

const UUID = new RegExp(UUID_PATTERN);
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Opaque to clients: base64url of a small JSON document. */
export function encodeCursor(position: CursorPosition, fingerprint: string): string {
  const json: CursorJson = { k: position.key, i: position.id, f: fingerprint };
  return Buffer.from(JSON.stringify(json)).toString("base64url");
}

/**
 * Reads a cursor back for the same list. Anything that is not a cursor we
 * issued for this sort, order and filters is a 400: the key goes into SQL
 * with a type cast, so its shape is checked here rather than by the database.
 */
export function decodeCursor(cursor: string, sort: SortField, fingerprint: string): CursorPosition {
  const json = parseCursor(cursor);
  if (!json) throw invalidCursor("cursor is not one this API issued");
  if (json.f !== fingerprint) {
    throw invalidCursor("cursor belongs to a list with another sort, order or filters; start again without it");
  }
  if (!keyFits(sort, json.k)) throw invalidCursor("cursor is not one this API issued");
  return { key: json.k, id: json.i };
}

function parseCursor(cursor: string): CursorJson | undefined {
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(cursor)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof value !== "object" || value === null) return undefined;
    const { k, i, f } = value as Record<string, unknown>;
    if (typeof i !== "string" || !UUID.test(i) || typeof f !== "string") return undefined;
    if (k !== null && typeof k !== "string" && typeof k !== "number") return undefined;
    return { k, i, f };
  } catch {
    return undefined;
  }
}

function keyFits(sort: SortField, key: string | number | null): boolean {
  switch (sort) {
    case "due":
      return key === null || isInstant(key);
    case "created":
    case "updated":
      return isInstant(key);
    case "priority":
      return typeof key === "number" && Number.isInteger(key) && key >= 0 && key <= 3;
    case "title":
      return typeof key === "string" && key.length <= 1000 && !key.includes("\u0000");
  }
}

/** Exactly what toISOString writes, for a day that exists. */
function isInstant(key: string | number | null): boolean {
  if (typeof key !== "string" || !INSTANT.test(key)) return false;
  const millis = Date.parse(key);
  return !Number.isNaN(millis) && new Date(millis).toISOString() === key;
}

function invalidCursor(message: string): AppError {
  return new AppError(400, "invalid_cursor", message);
}
