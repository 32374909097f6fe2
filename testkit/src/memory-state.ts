/**
 * Test-only: a DaprClient that keeps state in memory and implements nothing
 * else (with Dapr's ETag rules), for tests without a sidecar. Integration
 * tests use the embedded runtime instead.
 */
import { EtagMismatchError, type DaprClient, type StateEntry, type StateItem } from "@todo/common";

export interface MemoryStateClient extends DaprClient {
  /** key -> item as saved (including ttlInSeconds), per store. */
  readonly stores: Map<string, Map<string, StateItem>>;
  /** When set, getState / saveState reject with this error, as a sidecar that is down would. */
  failReads: Error | undefined;
  failWrites: Error | undefined;
}

export function createMemoryStateClient(): MemoryStateClient {
  const stores = new Map<string, Map<string, StateItem>>();
  const storeNamed = (name: string) => {
    let store = stores.get(name);
    if (!store) stores.set(name, (store = new Map()));
    return store;
  };
  let etag = 0;
  const unsupported = (method: string) => () => Promise.reject(new Error(`${method} is not implemented by the memory state client`));

  const client: MemoryStateClient = {
    stores,
    failReads: undefined,
    failWrites: undefined,
    async getState<T>(store: string, key: string): Promise<StateEntry<T> | undefined> {
      if (client.failReads) throw client.failReads;
      const item = storeNamed(store).get(key);
      return item ? { key, value: item.value as T, etag: item.etag } : undefined;
    },
    async saveState(store: string, items: StateItem[]): Promise<void> {
      if (client.failWrites) throw client.failWrites;
      // ETags as Dapr defines them: a stale one is a conflict, and first-write without one only inserts.
      for (const item of items) {
        const existing = storeNamed(store).get(item.key);
        const stale = item.etag !== undefined ? existing?.etag !== item.etag : item.concurrency === "first-write" && existing !== undefined;
        if (stale) throw new EtagMismatchError({ operation: "saveState", status: 409, errorCode: "ERR_STATE_SAVE", message: `etag mismatch for ${item.key}` });
      }
      for (const item of items) storeNamed(store).set(item.key, { ...item, etag: String(++etag) });
    },
    async deleteState(store: string, key: string, options: { etag?: string } = {}): Promise<void> {
      if (client.failWrites) throw client.failWrites;
      const existing = storeNamed(store).get(key);
      if (options.etag !== undefined && existing?.etag !== options.etag) {
        throw new EtagMismatchError({ operation: "deleteState", status: 409, errorCode: "ERR_STATE_DELETE", message: `etag mismatch for ${key}` });
      }
      storeNamed(store).delete(key);
    },
    publish: unsupported("publish"),
    bulkPublish: unsupported("bulkPublish"),
    getBulkState: unsupported("getBulkState"),
    transaction: unsupported("transaction"),
    scheduleJob: unsupported("scheduleJob"),
    getJob: unsupported("getJob"),
    deleteJob: unsupported("deleteJob"),
    invoke: unsupported("invoke"),
    getSecret: unsupported("getSecret"),
    getBulkSecrets: unsupported("getBulkSecrets"),
    healthy: unsupported("healthy"),
    metadata: unsupported("metadata"),
  };
  return client;
}
