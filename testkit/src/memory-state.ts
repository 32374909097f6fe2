/**
 * Test-only: a DaprClient that keeps state in memory and implements nothing
 * else, for testing the subscription helper without a sidecar. Integration
 * tests use the embedded runtime instead.
 */
import type { DaprClient, StateEntry, StateItem } from "@todo/common";

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
      for (const item of items) storeNamed(store).set(item.key, { ...item, etag: String(++etag) });
    },
    publish: unsupported("publish"),
    bulkPublish: unsupported("bulkPublish"),
    getBulkState: unsupported("getBulkState"),
    deleteState: unsupported("deleteState"),
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
