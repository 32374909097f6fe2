/**
 * State API: ETags, concurrency, bulk get, transactions and TTL
 * (dapr-http-contract.md §3).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createConformanceRun, type SidecarUnderTest } from "./harness/conformance-run.ts";
import { jsonOf } from "./harness/dapr-api.ts";
import { waitFor } from "@todo/testkit";

// Sidecar start-up and broker round trips outlast bun's 5 s default.
setDefaultTimeout(30_000);

const run = createConformanceRun();
const { profile, names } = run;
const store = profile.components.state;
let under: SidecarUnderTest;

beforeAll(async () => {
  under = await run.startSidecar({ appId: names.name("conf-state") });
}, 30_000);

afterAll(() => run.cleanup(), 30_000);

interface SaveItem {
  key: string;
  value: unknown;
  etag?: string;
  metadata?: Record<string, string>;
  options?: { concurrency?: "first-write" | "last-write"; consistency?: "eventual" | "strong" };
}

const save = (items: SaveItem[]) => under.dapr.request("POST", `/v1.0/state/${store}`, { json: items });
const get = (key: string) => under.dapr.request("GET", `/v1.0/state/${store}/${encodeURIComponent(key)}`);

async function saveOk(items: SaveItem[]): Promise<void> {
  const response = await save(items);
  if (response.status !== 204) throw new Error(`save answered ${response.status} ${await response.text()}`);
}

/** The stored value and ETag of a key that must exist. */
async function read(key: string): Promise<{ value: unknown; etag: string }> {
  const response = await get(key);
  if (response.status !== 200) throw new Error(`GET ${key} answered ${response.status} ${await response.text()}`);
  return { value: await jsonOf(response), etag: response.headers.get("etag") ?? "" };
}

async function expectMissing(key: string): Promise<void> {
  const response = await get(key);
  expect(response.status).toBe(204);
  expect(await response.text()).toBe("");
}

describe("state", () => {
  test("a saved value is read back with an ETag", async () => {
    const key = names.name("basic");
    const value = { title: "buy milk", done: false, tags: ["a", "b"] };
    expect((await save([{ key, value }])).status).toBe(204);

    const stored = await read(key);
    expect(stored.value).toEqual(value);
    expect(stored.etag).not.toBe("");
  });

  test("reading a key that was never written answers 204 with no body", async () => {
    await expectMissing(names.name("never-written"));
  });

  test("a save with a stale ETag answers 409 and keeps the stored value; the current ETag wins", async () => {
    const key = names.name("etag");
    await saveOk([{ key, value: { v: 1 } }]);
    const first = await read(key);
    await saveOk([{ key, value: { v: 2 }, etag: first.etag }]);
    const second = await read(key);
    expect(second.etag).not.toBe(first.etag);

    const stale = await save([{ key, value: { v: 3 }, etag: first.etag }]);
    expect(stale.status).toBe(409);
    expect((await read(key)).value).toEqual({ v: 2 });
  });

  test("first-write without an ETag inserts a new key but refuses to overwrite an existing one", async () => {
    const key = names.name("first-write");
    await saveOk([{ key, value: "original", options: { concurrency: "first-write" } }]);
    expect((await read(key)).value).toBe("original");

    const again = await save([{ key, value: "overwritten", options: { concurrency: "first-write" } }]);
    // daprd: insert-only failure without an ETag is a store error (500), not 409.
    expect(again.status).toBe(500);
    expect((await read(key)).value).toBe("original");
  });

  test("delete with a stale If-Match answers 409; with the current ETag it removes the key", async () => {
    const key = names.name("delete");
    await saveOk([{ key, value: 1 }]);
    const first = await read(key);
    await saveOk([{ key, value: 2 }]);
    const current = await read(key);

    const path = `/v1.0/state/${store}/${encodeURIComponent(key)}`;
    const stale = await under.dapr.request("DELETE", path, { headers: { "If-Match": first.etag } });
    expect(stale.status).toBe(409);
    expect((await read(key)).value).toBe(2);

    const ok = await under.dapr.request("DELETE", path, { headers: { "If-Match": current.etag } });
    expect(ok.status).toBe(204);
    await expectMissing(key);
  });

  test("bulk get returns every key; a missing key comes back with only its key", async () => {
    const [a, b, missing] = ["bulk-a", "bulk-b", "bulk-missing"].map((k) => names.name(k)) as [string, string, string];
    await saveOk([
      { key: a, value: { n: 1 } },
      { key: b, value: "two" },
    ]);

    const response = await under.dapr.request("POST", `/v1.0/state/${store}/bulk`, {
      json: { keys: [a, b, missing], parallelism: 10 },
    });
    expect(response.status).toBe(200);
    const items = await jsonOf<Array<{ key: string; data?: unknown; etag?: string }>>(response);
    const byKey = new Map(items.map((item) => [item.key, item]));
    expect(items.length).toBe(3);
    expect(byKey.get(a)?.data).toEqual({ n: 1 });
    expect(byKey.get(a)?.etag).toBeTruthy();
    expect(byKey.get(b)?.data).toBe("two");
    expect(byKey.get(missing)).toEqual({ key: missing });
  });

  test("a transaction applies all its operations", async () => {
    const [kept, removed] = [names.name("tx-ok-upsert"), names.name("tx-ok-delete")];
    await saveOk([{ key: removed, value: "bye" }]);

    const response = await under.dapr.request("POST", `/v1.0/state/${store}/transaction`, {
      json: {
        operations: [
          { operation: "upsert", request: { key: kept, value: { ok: true } } },
          { operation: "delete", request: { key: removed } },
        ],
      },
    });
    expect(response.status).toBe(204);
    expect((await read(kept)).value).toEqual({ ok: true });
    await expectMissing(removed);
  });

  // daprd over state.redis has no rollback (MULTI/EXEC of per-key scripts): the stale
  // operation fails, the others apply. The embedded runtime does the same (README, "Differences").
  test("a transaction with one stale ETag fails with 500; the stale operation changes nothing, the others apply", async () => {
    const [fresh, guarded] = [names.name("tx-fresh"), names.name("tx-guarded")];
    await saveOk([{ key: guarded, value: "v1" }]);
    const stale = (await read(guarded)).etag;
    await saveOk([{ key: guarded, value: "v2" }]);

    const response = await under.dapr.request("POST", `/v1.0/state/${store}/transaction`, {
      json: {
        operations: [
          { operation: "upsert", request: { key: fresh, value: "applied anyway" } },
          { operation: "upsert", request: { key: guarded, value: "v3", etag: stale } },
        ],
      },
    });
    expect(response.status).toBe(500);
    expect((await jsonOf<{ errorCode?: string }>(response)).errorCode).toBe("ERR_STATE_TRANSACTION");
    expect((await read(fresh)).value).toBe("applied anyway");
    expect((await read(guarded)).value).toBe("v2");
  });

  test("an item saved with ttlInSeconds 1 expires; one saved with -1 stays", async () => {
    const [shortLived, forever] = [names.name("ttl-1"), names.name("ttl-never")];
    await saveOk([
      { key: shortLived, value: "soon gone", metadata: { ttlInSeconds: "1" } },
      { key: forever, value: "stays", metadata: { ttlInSeconds: "-1" } },
    ]);
    expect((await read(shortLived)).value).toBe("soon gone");

    await waitFor(async () => (await get(shortLived)).status === 204, {
      timeoutMs: 5_000,
      intervalMs: 50,
      message: `${shortLived} to expire after its 1 s TTL`,
    });
    expect((await read(forever)).value).toBe("stays");
  });

  test("an unknown state store answers 400 ERR_STATE_STORE_NOT_FOUND", async () => {
    const response = await under.dapr.request("GET", `/v1.0/state/no-such-store/${names.name("x")}`);
    expect(response.status).toBe(400);
    expect((await jsonOf<{ errorCode?: string }>(response)).errorCode).toBe("ERR_STATE_STORE_NOT_FOUND");
  });
});
