import { DaprError } from "./errors.ts";
import { expectSuccess, ensureOk, readJson, readText, type SendToDapr } from "./transport.ts";
import type { DaprClient, StateEntry, StateItem, StateOperation } from "./types.ts";

type StateMethods = Pick<DaprClient, "getState" | "getBulkState" | "saveState" | "deleteState" | "transaction">;

interface BulkStateReply {
  key: string;
  data?: unknown;
  etag?: string;
  error?: string;
}

export function stateMethods(send: SendToDapr): StateMethods {
  const storePath = (store: string) => `/v1.0/state/${encodeURIComponent(store)}`;
  const json = { "Content-Type": "application/json" };

  return {
    async getState<T>(store: string, key: string): Promise<StateEntry<T> | undefined> {
      const response = await ensureOk(
        "getState",
        await send("getState", { method: "GET", path: `${storePath(store)}/${encodeURIComponent(key)}` }),
      );
      // daprd answers 204 for a key it does not have.
      const text = response.status === 204 ? "" : await readText("getState", response);
      if (text === "") return undefined;
      return { key, value: parseStoredValue(text) as T, etag: response.headers.get("etag") || undefined };
    },

    async getBulkState<T>(store: string, keys: string[]): Promise<StateEntry<T | undefined>[]> {
      if (keys.length === 0) return [];
      const response = await ensureOk(
        "getBulkState",
        await send("getBulkState", {
          method: "POST",
          path: `${storePath(store)}/bulk`,
          headers: json,
          body: JSON.stringify({ keys }),
        }),
      );
      const replies = new Map((await readJson<BulkStateReply[]>("getBulkState", response)).map((r) => [r.key, r]));
      // daprd fetches keys in parallel, so answer in the order the caller asked.
      return keys.map((key) => {
        const reply = replies.get(key);
        if (reply?.error) {
          throw new DaprError({ operation: "getBulkState", status: response.status, message: `key ${key}: ${reply.error}` });
        }
        return { key, value: reply?.data as T | undefined, etag: reply?.etag || undefined };
      });
    },

    async saveState(store, items) {
      const response = await send("saveState", {
        method: "POST",
        path: storePath(store),
        headers: json,
        body: JSON.stringify(items.map(toSaveRequest)),
      });
      await expectSuccess("saveState", response);
    },

    async deleteState(store, key, options = {}) {
      const headers: Record<string, string> = {};
      if (options.etag !== undefined) headers["If-Match"] = options.etag;
      const response = await send("deleteState", {
        method: "DELETE",
        path: `${storePath(store)}/${encodeURIComponent(key)}`,
        headers,
      });
      await expectSuccess("deleteState", response);
    },

    async transaction(store, operations, metadata) {
      const response = await send("transaction", {
        method: "POST",
        path: `${storePath(store)}/transaction`,
        headers: json,
        body: JSON.stringify({ operations: operations.map(toTransactionOperation), ...(metadata ? { metadata } : {}) }),
      });
      await expectSuccess("transaction", response);
    },
  };
}

// daprd rejects non-string metadata values, so a TTL travels as "120", not 120.
function ttlMetadata(ttlInSeconds: number | undefined): { metadata?: { ttlInSeconds: string } } {
  return ttlInSeconds === undefined ? {} : { metadata: { ttlInSeconds: String(ttlInSeconds) } };
}

function toSaveRequest(item: StateItem) {
  const options = {
    ...(item.concurrency ? { concurrency: item.concurrency } : {}),
    ...(item.consistency ? { consistency: item.consistency } : {}),
  };
  return {
    key: item.key,
    value: item.value,
    ...(item.etag !== undefined ? { etag: item.etag } : {}),
    ...ttlMetadata(item.ttlInSeconds),
    ...(Object.keys(options).length > 0 ? { options } : {}),
  };
}

function toTransactionOperation(op: StateOperation) {
  if (op.operation === "delete") return op;
  const { ttlInSeconds, ...request } = op.request;
  return { operation: op.operation, request: { ...request, ...ttlMetadata(ttlInSeconds) } };
}

/** daprd returns the stored bytes; values saved by this client are JSON, anything else comes back as text. */
function parseStoredValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
