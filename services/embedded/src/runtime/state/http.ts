import { daprError, noContent } from "../errors.ts";
import {
  checkOptions,
  decodeBulkGetBody,
  decodeSaveBody,
  decodeTransactionBody,
  invalidKeyMessage,
  metadataFromQuery,
  parseJsonText,
  parseTtl,
  storedKey,
  type Decoded,
  type SaveItem,
} from "./state-requests.ts";
import { StateError, type StateItem, type StateOperation, type StateStore, type StateWrite } from "./state-store.ts";

export interface StateApiContext {
  /** The calling app: every key is stored as `<appId>||<key>`. */
  appId: string;
  /** Configured state store names (default ["statestore"]). */
  stores: string[];
}

/**
 * `/v1.0/state/...` as daprd serves it. `path` is the URL path after
 * `/v1.0/state/`, split on "/" and URI-decoded.
 */
export async function handleStateApi(store: StateStore, ctx: StateApiContext, request: Request, path: string[]): Promise<Response> {
  const [storeName, second, ...rest] = path;
  if (!storeName || second === "" || rest.length > 0) return notFound();
  const method = request.method.toUpperCase();
  const isWrite = method === "POST" || method === "PUT";

  const route =
    second === undefined
      ? isWrite ? "save" : undefined
      : isWrite && second === "bulk" ? "bulk"
      : isWrite && second === "transaction" ? "transaction"
      : method === "GET" ? "get"
      : method === "DELETE" ? "delete"
      : undefined;
  // chi answers 405 when the path matches a route but not the method.
  if (!route) return new Response(null, { status: 405 });

  const missing = checkStore(ctx, storeName);
  if (missing) return missing;

  const url = new URL(request.url);
  switch (route) {
    case "save":
      return saveState(store, ctx.appId, storeName, url, await request.text());
    case "bulk":
      // Read options in body/query metadata are accepted and ignored: the embedded store has none.
      return bulkGetState(store, ctx.appId, storeName, await request.text());
    case "transaction":
      return runTransaction(store, ctx.appId, storeName, url, await request.text());
    case "get":
      return getState(store, ctx.appId, storeName, second ?? "");
    case "delete":
      return deleteState(store, ctx.appId, storeName, second ?? "", url, request.headers);
  }
}

function checkStore(ctx: StateApiContext, storeName: string): Response | undefined {
  if (ctx.stores.length === 0) {
    return daprError(500, "ERR_STATE_STORE_NOT_CONFIGURED", `state store ${storeName} is not configured`);
  }
  if (!ctx.stores.includes(storeName)) {
    return daprError(400, "ERR_STATE_STORE_NOT_FOUND", `state store ${storeName} is not found`);
  }
  return undefined;
}

function saveState(store: StateStore, appId: string, storeName: string, url: URL, text: string): Response {
  const parsed = parseJsonText(text);
  const decoded = parsed.ok ? decodeSaveBody(parsed.value) : parsed;
  if (!decoded.ok) return malformed(decoded.message);
  if (decoded.value.length === 0) return noContent();

  const queryMetadata = metadataFromQuery(url);
  for (const item of decoded.value) {
    if (item.key === "") return malformed(`"key" is a required field`, false);
    const invalid = invalidKeyMessage(item.key);
    if (invalid) return malformed(invalid, false);
  }

  const saveFailed = (message: string, status = 500) =>
    daprError(status, "ERR_STATE_SAVE", `failed saving state in state store ${storeName}: ${message}`);
  const writes: StateWrite[] = [];
  for (const item of decoded.value) {
    const write = toWrite(appId, item, queryMetadata);
    if (!write.ok) return saveFailed(write.message);
    writes.push(write.value);
  }

  try {
    store.save(storeName, writes);
  } catch (error) {
    return saveFailed(errorMessage(error), statusOfStoreError(error));
  }
  return noContent();
}

function getState(store: StateStore, appId: string, storeName: string, key: string): Response {
  const invalid = invalidKeyMessage(key);
  if (invalid) return malformed(invalid, false);
  let item: StateItem | undefined;
  try {
    item = store.get(storeName, storedKey(appId, key));
  } catch (error) {
    return daprError(500, "ERR_STATE_GET", `fail to get ${key} from state store ${storeName}: ${errorMessage(error)}`);
  }
  if (!item) return noContent();
  const headers = new Headers({ "content-type": "application/json", etag: item.etag });
  // daprd turns response metadata into `metadata.<name>` headers; Redis and Postgres report the expiry this way.
  if (item.expiresAt !== undefined) headers.set("metadata.ttlExpireTime", rfc3339(item.expiresAt));
  return new Response(item.json, { status: 200, headers });
}

function bulkGetState(store: StateStore, appId: string, storeName: string, text: string): Response {
  const parsed = parseJsonText(text);
  const decoded = parsed.ok ? decodeBulkGetBody(parsed.value) : parsed;
  if (!decoded.ok) return malformed(decoded.message);
  const { keys } = decoded.value;

  for (const key of keys) {
    const invalid = invalidKeyMessage(key);
    if (invalid) return malformed(invalid, false);
  }
  let items: (StateItem | undefined)[];
  try {
    items = store.getMany(storeName, keys.map((key) => storedKey(appId, key)));
  } catch (error) {
    return daprError(500, "ERR_STATE_BULK_GET", errorMessage(error));
  }
  // Stored values are JSON text: embed them as-is so they come back byte for byte.
  const entries = keys.map((key, index) => {
    const item = items[index];
    if (!item) return `{"key":${JSON.stringify(key)}}`;
    const metadata = item.expiresAt === undefined ? "" : `,"metadata":${JSON.stringify({ ttlExpireTime: rfc3339(item.expiresAt) })}`;
    return `{"key":${JSON.stringify(key)},"data":${item.json},"etag":${JSON.stringify(item.etag)}${metadata}}`;
  });
  return new Response(`[${entries.join(",")}]`, { status: 200, headers: { "content-type": "application/json" } });
}

function deleteState(store: StateStore, appId: string, storeName: string, key: string, url: URL, headers: Headers): Response {
  const invalid = invalidKeyMessage(key);
  if (invalid) return malformed(invalid, false);
  const deleteFailed = (message: string, status = 500) =>
    daprError(status, "ERR_STATE_DELETE", `failed deleting state with key ${key}: ${message}`);

  const optionError = checkOptions({
    concurrency: url.searchParams.get("concurrency") ?? undefined,
    consistency: url.searchParams.get("consistency") ?? undefined,
  });
  if (optionError) return deleteFailed(optionError);

  try {
    store.delete(storeName, storedKey(appId, key), headers.get("if-match") ?? undefined);
  } catch (error) {
    return deleteFailed(errorMessage(error), statusOfStoreError(error));
  }
  return noContent();
}

function runTransaction(store: StateStore, appId: string, storeName: string, url: URL, text: string): Response {
  const parsed = parseJsonText(text);
  const decoded = parsed.ok ? decodeTransactionBody(parsed.value) : parsed;
  if (!decoded.ok) return malformed(decoded.message);
  if (decoded.value.length === 0) return noContent();

  for (const item of decoded.value) {
    if (item.operation === "unsupported") {
      return daprError(400, "ERR_NOT_SUPPORTED_STATE_OPERATION", `operation type ${item.name} not supported`);
    }
    if (item.request.key === "") return malformed(`"key" is a required field`, false);
    const invalid = invalidKeyMessage(item.request.key);
    if (invalid) return malformed(invalid, false);
  }

  // Every failure from here on, ETag mismatch included, is daprd's 500 ERR_STATE_TRANSACTION.
  const transactionFailed = (message: string) =>
    daprError(500, "ERR_STATE_TRANSACTION", `error while executing state transaction: ${message}`);
  const queryMetadata = metadataFromQuery(url);
  const operations: StateOperation[] = [];
  for (const item of decoded.value) {
    if (item.operation === "upsert") {
      const write = toWrite(appId, item.request, queryMetadata);
      if (!write.ok) return transactionFailed(write.message);
      operations.push({ operation: "upsert", request: write.value });
    } else if (item.operation === "delete") {
      const key = storedKey(appId, item.request.key);
      operations.push({ operation: "delete", request: item.request.etag === undefined ? { key } : { key, etag: item.request.etag } });
    }
  }

  try {
    store.transact(storeName, operations);
  } catch (error) {
    return transactionFailed(errorMessage(error));
  }
  return noContent();
}

/** Query metadata overrides item metadata, as daprd merges them. */
function toWrite(appId: string, item: SaveItem, queryMetadata: Record<string, string>): Decoded<StateWrite> {
  const optionError = checkOptions(item);
  if (optionError) return { ok: false, message: optionError };
  const ttl = parseTtl({ ...item.metadata, ...queryMetadata });
  if (!ttl.ok) return ttl;
  const write: StateWrite = { key: storedKey(appId, item.key), value: item.value };
  if (item.etag !== undefined) write.etag = item.etag;
  if (ttl.value !== undefined) write.ttlSeconds = ttl.value;
  if (item.concurrency === "first-write" || item.concurrency === "last-write") write.concurrency = item.concurrency;
  return { ok: true, value: write };
}

function statusOfStoreError(error: unknown): number {
  return error instanceof StateError && error.kind === "etag-mismatch" ? 409 : 500;
}

function malformed(message: string, body = true): Response {
  return daprError(400, "ERR_MALFORMED_REQUEST", body ? `failed deserializing HTTP body: ${message}` : message);
}

function notFound(): Response {
  return new Response("404 page not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** RFC 3339 in UTC with whole seconds, as Go's time.RFC3339 prints it. */
function rfc3339(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}
