/**
 * Decoding of the state API bodies with daprd's rules: a field of the wrong
 * JSON type fails the whole body (Go's json decoder, 400), while values a
 * component rejects (bad ttlInSeconds, unknown concurrency) are store errors
 * (500). Pure functions: the HTTP handler maps results to responses.
 */

export type Decoded<T> = { ok: true; value: T } | { ok: false; message: string };

export interface SaveItem {
  key: string;
  value: unknown;
  etag?: string;
  metadata: Record<string, string>;
  concurrency?: string;
  consistency?: string;
}

export interface BulkGetBody {
  keys: string[];
  metadata: Record<string, string>;
}

export type TransactionItem =
  | { operation: "upsert"; request: SaveItem }
  | { operation: "delete"; request: { key: string; etag?: string; metadata: Record<string, string> } }
  | { operation: "unsupported"; name: string };

/** daprd's default keyPrefix (`appid`) joins with `||`, so a key may not contain it. */
export const keySeparator = "||";

export function storedKey(appId: string, key: string): string {
  return `${appId}${keySeparator}${key}`;
}

export function invalidKeyMessage(key: string): string | undefined {
  return key.includes(keySeparator) ? `input key/keyPrefix '${key}' can't contain '${keySeparator}'` : undefined;
}

export function parseJsonText(text: string): Decoded<unknown> {
  if (text.trim() === "") return { ok: false, message: "EOF" };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/** POST /v1.0/state/{store}: `null` decodes to no items (daprd answers 204). */
export function decodeSaveBody(body: unknown): Decoded<SaveItem[]> {
  if (body === null) return { ok: true, value: [] };
  if (!Array.isArray(body)) return { ok: false, message: "cannot unmarshal into a list of state items" };
  const items: SaveItem[] = [];
  for (const [index, raw] of body.entries()) {
    const item = decodeSetRequest(raw, `[${index}]`);
    if (!item.ok) return item;
    items.push(item.value);
  }
  return { ok: true, value: items };
}

/** POST /v1.0/state/{store}/bulk */
export function decodeBulkGetBody(body: unknown): Decoded<BulkGetBody> {
  if (body === null) return { ok: true, value: { keys: [], metadata: {} } };
  if (!isObject(body)) return { ok: false, message: "body must be an object" };
  const keys = body.keys ?? [];
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === "string")) {
    return { ok: false, message: "keys must be an array of strings" };
  }
  if (body.parallelism != null && typeof body.parallelism !== "number") {
    return { ok: false, message: "parallelism must be a number" };
  }
  const metadata = decodeMetadata(body.metadata, "metadata");
  if (!metadata.ok) return metadata;
  return { ok: true, value: { keys, metadata: metadata.value } };
}

/** POST /v1.0/state/{store}/transaction */
export function decodeTransactionBody(body: unknown): Decoded<TransactionItem[]> {
  if (body === null) return { ok: true, value: [] };
  if (!isObject(body)) return { ok: false, message: "body must be an object" };
  const operations = body.operations ?? [];
  if (!Array.isArray(operations)) return { ok: false, message: "operations must be an array" };
  const metadata = decodeMetadata(body.metadata, "metadata");
  if (!metadata.ok) return metadata;

  const items: TransactionItem[] = [];
  for (const [index, raw] of operations.entries()) {
    const where = `operations[${index}]`;
    if (!isObject(raw)) return { ok: false, message: `${where} must be an object` };
    const name = raw.operation ?? "";
    if (typeof name !== "string") return { ok: false, message: `${where}.operation must be a string` };
    if (name === "upsert") {
      const request = decodeSetRequest(raw.request ?? {}, `${where}.request`);
      if (!request.ok) return request;
      items.push({ operation: "upsert", request: request.value });
    } else if (name === "delete") {
      const request = decodeSetRequest(raw.request ?? {}, `${where}.request`);
      if (!request.ok) return request;
      const { key, etag, metadata: requestMetadata } = request.value;
      items.push({ operation: "delete", request: etag === undefined ? { key, metadata: requestMetadata } : { key, etag, metadata: requestMetadata } });
    } else {
      // daprd rejects the request as a whole (400 ERR_NOT_SUPPORTED_STATE_OPERATION) before running anything.
      items.push({ operation: "unsupported", name });
    }
  }
  return { ok: true, value: items };
}

/**
 * metadata.ttlInSeconds as state.redis / postgresql parse it: an integer
 * string >= -1; 0 and -1 mean no expiry. Errors are store errors (500).
 */
export function parseTtl(metadata: Record<string, string>): Decoded<number | undefined> {
  const raw = metadata.ttlInSeconds;
  if (raw === undefined || raw === "") return { ok: true, value: undefined };
  if (!/^[+-]?\d+$/.test(raw.trim())) {
    return { ok: false, message: `incorrect value for metadata 'ttlInSeconds': ${JSON.stringify(raw)} is not an integer` };
  }
  const seconds = Number.parseInt(raw.trim(), 10);
  if (seconds < -1) return { ok: false, message: "incorrect value for metadata 'ttlInSeconds': must be -1 or greater" };
  return { ok: true, value: seconds };
}

/** Unknown option values fail in the component (state.CheckRequestOptions), hence 500. */
export function checkOptions(options: { concurrency?: string; consistency?: string }): string | undefined {
  const { concurrency, consistency } = options;
  if (concurrency && concurrency !== "first-write" && concurrency !== "last-write") {
    return `unrecognized concurrency model '${concurrency}'`;
  }
  if (consistency && consistency !== "eventual" && consistency !== "strong") {
    return `unrecognized consistency model '${consistency}'`;
  }
  return undefined;
}

/** `metadata.<key>` query parameters, first value each (daprd getMetadataFromRequest). */
export function metadataFromQuery(url: URL): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    if (name.startsWith("metadata.") && !(name.slice(9) in metadata)) metadata[name.slice(9)] = value;
  }
  return metadata;
}

function decodeSetRequest(raw: unknown, where: string): Decoded<SaveItem> {
  if (!isObject(raw)) return { ok: false, message: `${where} must be an object` };
  const key = raw.key ?? "";
  if (typeof key !== "string") return { ok: false, message: `${where}.key must be a string` };
  const etag = raw.etag ?? undefined;
  if (etag !== undefined && typeof etag !== "string") return { ok: false, message: `${where}.etag must be a string` };
  const metadata = decodeMetadata(raw.metadata, `${where}.metadata`);
  if (!metadata.ok) return metadata;
  const options = raw.options ?? {};
  if (!isObject(options)) return { ok: false, message: `${where}.options must be an object` };
  const concurrency = options.concurrency ?? undefined;
  const consistency = options.consistency ?? undefined;
  if (concurrency !== undefined && typeof concurrency !== "string") return { ok: false, message: `${where}.options.concurrency must be a string` };
  if (consistency !== undefined && typeof consistency !== "string") return { ok: false, message: `${where}.options.consistency must be a string` };
  return {
    ok: true,
    value: {
      key,
      value: raw.value ?? null,
      ...(etag === undefined ? {} : { etag }),
      metadata: metadata.value,
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(consistency === undefined ? {} : { consistency }),
    },
  };
}

/** Dapr metadata is map[string]string: a number such as `{"ttlInSeconds": 120}` fails decoding. */
function decodeMetadata(raw: unknown, where: string): Decoded<Record<string, string>> {
  if (raw == null) return { ok: true, value: {} };
  if (!isObject(raw)) return { ok: false, message: `${where} must be an object of strings` };
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value !== "string") return { ok: false, message: `${where}.${name} must be a string` };
    metadata[name] = value;
  }
  return { ok: true, value: metadata };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
