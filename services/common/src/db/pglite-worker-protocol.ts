import type { PgliteAssets } from "./pglite-assets.ts";

/**
 * The messages between the main thread and the worker that owns PGlite
 * (pglite-worker.ts, pglite-worker-database.ts). Every request carries an id;
 * the worker answers each one exactly once with the same id. Values cross by
 * structured clone, which keeps Date, arrays and plain objects as they are.
 */
export type WorkerRequest =
  | { id: number; op: "open"; dataDir?: string; loadDataDir?: ArrayBuffer; assets: PgliteAssets }
  | { id: number; op: "query"; sql: string; params?: readonly unknown[]; tx?: number }
  | { id: number; op: "begin" }
  | { id: number; op: "commit"; tx: number }
  | { id: number; op: "rollback"; tx: number }
  | { id: number; op: "close" };

export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

/**
 * A thrown error as data. Structured clone keeps only an Error's message, so
 * the fields callers read (`code`, `constraint`, `detail`... of a PostgreSQL
 * error) travel as their own list.
 */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  fields: Record<string, string | number | boolean>;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error), fields: {} };
  const fields: SerializedError["fields"] = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") fields[key] = value;
  }
  return { name: error.name, message: error.message, stack: error.stack, fields };
}

export function deserializeError(serialized: SerializedError): Error {
  const error = Object.assign(new Error(serialized.message), serialized.fields);
  error.name = serialized.name;
  // Where the worker threw, below where the caller awaited.
  if (serialized.stack) error.stack = `${error.stack}\n  in the PGlite worker:\n${serialized.stack}`;
  return error;
}
