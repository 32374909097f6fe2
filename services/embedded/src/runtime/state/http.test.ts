import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@todo/testkit";
import { openRuntimeDb } from "../db.ts";
import { handleStateApi } from "./http.ts";
import { createStateStore, type StateStore } from "./state-store.ts";

let dataDir: string;
let db: Database;
let clock: number;
let store: StateStore;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "state-api-"));
  db = openRuntimeDb(dataDir);
  clock = Date.parse("2026-03-01T10:00:00Z");
  store = createStateStore(db, { now: () => clock });
});

afterEach(() => {
  store.stop();
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Calls the handler the way the router does: path after /v1.0/state/, split and URI-decoded. */
async function call(
  method: string,
  pathAndQuery: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; appId?: string; stateStore?: StateStore } = {},
) {
  const url = new URL(`http://localhost/v1.0/state/${pathAndQuery}`);
  const path = url.pathname.slice("/v1.0/state/".length).split("/").map(decodeURIComponent);
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const request = new Request(url, {
    method,
    body,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...options.headers },
  });
  const response = await handleStateApi(options.stateStore ?? store, { appId: options.appId ?? "app-a", stores: ["statestore"] }, request, path);
  const text = await response.text();
  const isJson = response.headers.get("content-type")?.includes("json") ?? false;
  return { status: response.status, headers: response.headers, text, json: isJson ? JSON.parse(text) : undefined };
}

const save = (items: unknown, options: Parameters<typeof call>[2] = {}) => call("POST", "statestore", { ...options, body: items });
const get = (key: string, options: Parameters<typeof call>[2] = {}) => call("GET", `statestore/${encodeURIComponent(key)}`, options);

describe("save and get", () => {
  test("a saved value comes back as the same JSON with an ETag header", async () => {
    const values = [{ title: "pay rent", tags: ["home"], done: false }, "plain text", 42, true, null, [1, 2]];
    const items = values.map((value, index) => ({ key: `k${index}`, value }));
    expect((await save(items)).status).toBe(204);

    for (const [index, value] of values.entries()) {
      const response = await get(`k${index}`);
      expect(response.status).toBe(200);
      expect(response.json).toEqual(value);
      expect(response.headers.get("etag")).toMatch(/^\d+$/);
    }
  });

  test("a missing key answers 204 with no body", async () => {
    const response = await get("nothing-here");
    expect(response.status).toBe(204);
    expect(response.text).toBe("");
  });

  test("every write gets a new, increasing ETag", async () => {
    await save([{ key: "task", value: 1 }]);
    const first = Number((await get("task")).headers.get("etag"));
    await save([{ key: "task", value: 2 }]);
    const second = Number((await get("task")).headers.get("etag"));
    expect(second).toBeGreaterThan(first);
  });

  test("keys with spaces, slashes and unicode round-trip", async () => {
    for (const key of ["with space", "a/b", "tâche-✓"]) {
      expect((await save([{ key, value: key }])).status).toBe(204);
      expect((await get(key)).json).toBe(key);
    }
  });

  test("an empty list or a null body saves nothing and answers 204", async () => {
    expect((await save([])).status).toBe(204);
    expect((await call("POST", "statestore", { rawBody: "null" })).status).toBe(204);
  });

  test("a save of several items is all or nothing", async () => {
    await save([{ key: "b", value: "old" }]);
    const etag = (await get("b")).headers.get("etag");
    const response = await save([
      { key: "a", value: "new" },
      { key: "b", value: "new", etag: `${etag}0` },
    ]);
    expect(response.status).toBe(409);
    expect((await get("a")).status).toBe(204);
    expect((await get("b")).json).toBe("old");
  });

  test("PUT saves like POST", async () => {
    expect((await call("PUT", "statestore", { body: [{ key: "k", value: "v" }] })).status).toBe(204);
    expect((await get("k")).json).toBe("v");
  });
});

describe("invalid requests", () => {
  test("malformed or non-array bodies are 400 ERR_MALFORMED_REQUEST", async () => {
    for (const rawBody of ["", "{not json", '{"key":"k","value":1}', '"text"']) {
      const response = await call("POST", "statestore", { rawBody });
      expect(response.status).toBe(400);
      expect(response.json.errorCode).toBe("ERR_MALFORMED_REQUEST");
    }
  });

  test("fields of the wrong JSON type are 400 ERR_MALFORMED_REQUEST", async () => {
    const bodies = [
      [{ key: 7, value: 1 }],
      [{ key: "k", value: 1, etag: 3 }],
      [{ key: "k", value: 1, metadata: { ttlInSeconds: 120 } }],
      [{ key: "k", value: 1, options: { concurrency: 1 } }],
      ["not-an-object"],
    ];
    for (const body of bodies) {
      const response = await save(body);
      expect(response.status).toBe(400);
      expect(response.json.errorCode).toBe("ERR_MALFORMED_REQUEST");
    }
    expect((await get("k")).status).toBe(204);
  });

  test("a missing key is 400", async () => {
    const response = await save([{ value: 1 }]);
    expect(response.status).toBe(400);
    expect(response.json.errorCode).toBe("ERR_MALFORMED_REQUEST");
  });

  test("a key containing || is 400 ERR_MALFORMED_REQUEST on every route", async () => {
    const key = "a||b";
    const responses = [
      await save([{ key, value: 1 }]),
      await get(key),
      await call("DELETE", `statestore/${encodeURIComponent(key)}`),
      await call("POST", "statestore/bulk", { body: { keys: [key] } }),
      await call("POST", "statestore/transaction", { body: { operations: [{ operation: "upsert", request: { key, value: 1 } }] } }),
    ];
    for (const response of responses) {
      expect(response.status).toBe(400);
      expect(response.json.errorCode).toBe("ERR_MALFORMED_REQUEST");
    }
  });

  test("an unparsable or too small ttlInSeconds is a store error: 500 ERR_STATE_SAVE", async () => {
    for (const ttlInSeconds of ["soon", "1.5", "-2"]) {
      const response = await save([{ key: "k", value: 1, metadata: { ttlInSeconds } }]);
      expect(response.status).toBe(500);
      expect(response.json.errorCode).toBe("ERR_STATE_SAVE");
    }
    expect((await get("k")).status).toBe(204);
  });

  test("an unknown concurrency option is 500 ERR_STATE_SAVE", async () => {
    const response = await save([{ key: "k", value: 1, options: { concurrency: "whatever" } }]);
    expect(response.status).toBe(500);
    expect(response.json.errorCode).toBe("ERR_STATE_SAVE");
  });

  test("an unknown store is 400 ERR_STATE_STORE_NOT_FOUND on every route", async () => {
    const responses = [
      await call("POST", "nostore", { body: [{ key: "k", value: 1 }] }),
      await call("GET", "nostore/k"),
      await call("DELETE", "nostore/k"),
      await call("POST", "nostore/bulk", { body: { keys: ["k"] } }),
      await call("POST", "nostore/transaction", { body: { operations: [] } }),
    ];
    for (const response of responses) {
      expect(response.status).toBe(400);
      expect(response.json.errorCode).toBe("ERR_STATE_STORE_NOT_FOUND");
    }
  });

  test("without any state store the API answers 500 ERR_STATE_STORE_NOT_CONFIGURED", async () => {
    const request = new Request("http://localhost/v1.0/state/statestore/k");
    const response = await handleStateApi(store, { appId: "app-a", stores: [] }, request, ["statestore", "k"]);
    expect(response.status).toBe(500);
    expect(((await response.json()) as { errorCode: string }).errorCode).toBe("ERR_STATE_STORE_NOT_CONFIGURED");
  });

  test("a known path with the wrong method is 405, an unknown path 404", async () => {
    expect((await call("GET", "statestore")).status).toBe(405);
    expect((await call("PATCH", "statestore/k")).status).toBe(405);
    expect((await call("GET", "statestore/a/b")).status).toBe(404);
    expect((await call("GET", "statestore/")).status).toBe(404);
  });
});

describe("ETags and concurrency", () => {
  test("a write with the current ETag succeeds and a stale ETag gets 409 ERR_STATE_SAVE", async () => {
    await save([{ key: "task", value: { v: 1 } }]);
    const etag = (await get("task")).headers.get("etag")!;

    expect((await save([{ key: "task", value: { v: 2 }, etag }])).status).toBe(204);
    const stale = await save([{ key: "task", value: { v: 3 }, etag }]);
    expect(stale.status).toBe(409);
    expect(stale.json.errorCode).toBe("ERR_STATE_SAVE");
    expect((await get("task")).json).toEqual({ v: 2 });
  });

  test("an ETag for a key that does not exist is a 409", async () => {
    const response = await save([{ key: "ghost", value: 1, etag: "1" }]);
    expect(response.status).toBe(409);
    expect((await get("ghost")).status).toBe(204);
  });

  test("an ETag is enforced under last-write too", async () => {
    await save([{ key: "k", value: 1 }]);
    const response = await save([{ key: "k", value: 2, etag: "not-the-etag", options: { concurrency: "last-write" } }]);
    expect(response.status).toBe(409);
  });

  test("an ETag read before a delete never matches the re-created item", async () => {
    await save([{ key: "k", value: 1 }]);
    const etag = (await get("k")).headers.get("etag")!;
    await call("DELETE", "statestore/k");
    await save([{ key: "k", value: 2 }]);
    expect((await save([{ key: "k", value: 3, etag }])).status).toBe(409);
  });

  test("concurrent writers with the same ETag: exactly one wins, the other gets 409", async () => {
    await save([{ key: "counter", value: 0 }]);
    const etag = (await get("counter")).headers.get("etag")!;
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, writer) => save([{ key: "counter", value: writer + 1, etag }])),
    );
    const statuses = results.map((result) => result.status).sort();
    expect(statuses).toEqual([204, 409, 409, 409, 409]);
    const winner = results.findIndex((result) => result.status === 204) + 1;
    expect((await get("counter")).json).toBe(winner);
  });

  test("two connections to the same file cannot both win with one ETag", async () => {
    const otherDb = openRuntimeDb(dataDir);
    try {
      const other = createStateStore(otherDb, { now: () => clock });
      await save([{ key: "shared", value: "start" }]);
      const etag = (await get("shared")).headers.get("etag")!;
      const first = await save([{ key: "shared", value: "one", etag }]);
      const second = await save([{ key: "shared", value: "two", etag }], { stateStore: other });
      expect([first.status, second.status]).toEqual([204, 409]);
      expect((await get("shared", { stateStore: other })).json).toBe("one");
    } finally {
      otherDb.close();
    }
  });

  test("first-write without an ETag only inserts: an existing key is 500 ERR_STATE_SAVE", async () => {
    const firstWrite = { options: { concurrency: "first-write" } };
    expect((await save([{ key: "once", value: "a", ...firstWrite }])).status).toBe(204);
    const again = await save([{ key: "once", value: "b", ...firstWrite }]);
    expect(again.status).toBe(500);
    expect(again.json.errorCode).toBe("ERR_STATE_SAVE");
    expect((await get("once")).json).toBe("a");
  });

  test("first-write with the current ETag updates", async () => {
    await save([{ key: "k", value: "a" }]);
    const etag = (await get("k")).headers.get("etag")!;
    expect((await save([{ key: "k", value: "b", etag, options: { concurrency: "first-write" } }])).status).toBe(204);
    expect((await get("k")).json).toBe("b");
  });

  test("last-write without an ETag overwrites unconditionally", async () => {
    await save([{ key: "k", value: "a" }]);
    expect((await save([{ key: "k", value: "b", options: { concurrency: "last-write" } }])).status).toBe(204);
    expect((await get("k")).json).toBe("b");
  });
});

describe("delete", () => {
  test("deletes a key; a later get is 204", async () => {
    await save([{ key: "k", value: 1 }]);
    expect((await call("DELETE", "statestore/k")).status).toBe(204);
    expect((await get("k")).status).toBe(204);
  });

  test("deleting a missing key without an ETag is 204", async () => {
    expect((await call("DELETE", "statestore/never-saved")).status).toBe(204);
  });

  test("If-Match must equal the current ETag: a mismatch is 409 ERR_STATE_DELETE and keeps the item", async () => {
    await save([{ key: "k", value: 1 }]);
    const etag = (await get("k")).headers.get("etag")!;
    const wrong = await call("DELETE", "statestore/k", { headers: { "If-Match": `${etag}9` } });
    expect(wrong.status).toBe(409);
    expect(wrong.json.errorCode).toBe("ERR_STATE_DELETE");
    expect((await get("k")).status).toBe(200);

    expect((await call("DELETE", "statestore/k", { headers: { "If-Match": etag } })).status).toBe(204);
    expect((await get("k")).status).toBe(204);
  });

  test("If-Match on a missing key is a 409", async () => {
    expect((await call("DELETE", "statestore/ghost", { headers: { "If-Match": "1" } })).status).toBe(409);
  });
});

describe("bulk get", () => {
  test("returns items in request order; missing keys carry only their key", async () => {
    await save([
      { key: "one", value: { n: 1 } },
      { key: "two", value: "2" },
    ]);
    const response = await call("POST", "statestore/bulk", { body: { keys: ["two", "missing", "one"], parallelism: 10 } });
    expect(response.status).toBe(200);
    expect(response.json).toEqual([
      { key: "two", data: "2", etag: expect.stringMatching(/^\d+$/) },
      { key: "missing" },
      { key: "one", data: { n: 1 }, etag: expect.stringMatching(/^\d+$/) },
    ]);
  });

  test("no keys answers an empty list; a malformed body is 400", async () => {
    expect((await call("POST", "statestore/bulk", { body: { keys: [] } })).json).toEqual([]);
    const bad = await call("POST", "statestore/bulk", { body: { keys: "one" } });
    expect(bad.status).toBe(400);
    expect(bad.json.errorCode).toBe("ERR_MALFORMED_REQUEST");
  });

  test("GET on .../bulk reads the key named bulk", async () => {
    await save([{ key: "bulk", value: "a key like any other" }]);
    expect((await get("bulk")).json).toBe("a key like any other");
  });
});

describe("transactions", () => {
  const transact = (operations: unknown[], options: Parameters<typeof call>[2] = {}) =>
    call("POST", "statestore/transaction", { ...options, body: { operations } });

  test("upserts and deletes apply together", async () => {
    await save([{ key: "old", value: 1 }]);
    const response = await transact([
      { operation: "upsert", request: { key: "new", value: { created: true } } },
      { operation: "delete", request: { key: "old" } },
    ]);
    expect(response.status).toBe(204);
    expect((await get("new")).json).toEqual({ created: true });
    expect((await get("old")).status).toBe(204);
  });

  test("an ETag mismatch answers 500 ERR_STATE_TRANSACTION; as on daprd over Redis the other operations still apply", async () => {
    await save([{ key: "keep", value: "original" }, { key: "guarded", value: "v1" }]);
    const response = await transact([
      { operation: "upsert", request: { key: "keep", value: "changed" } },
      { operation: "delete", request: { key: "keep-not" } },
      { operation: "upsert", request: { key: "fresh", value: 1 } },
      { operation: "upsert", request: { key: "guarded", value: "v2", etag: "999999" } },
    ]);
    expect(response.status).toBe(500);
    expect(response.json.errorCode).toBe("ERR_STATE_TRANSACTION");
    expect((await get("keep")).json).toBe("changed");
    expect((await get("fresh")).json).toBe(1);
    expect((await get("guarded")).json).toBe("v1");
  });

  test("a delete with a stale ETag fails (500) and leaves its key; the upsert next to it applies", async () => {
    await save([{ key: "a", value: 1 }]);
    const response = await transact([
      { operation: "upsert", request: { key: "b", value: 2 } },
      { operation: "delete", request: { key: "a", etag: "0" } },
    ]);
    expect(response.status).toBe(500);
    expect((await get("a")).json).toBe(1);
    expect((await get("b")).json).toBe(2);
  });

  test("an unknown operation is 400 ERR_NOT_SUPPORTED_STATE_OPERATION and nothing runs", async () => {
    const response = await transact([
      { operation: "upsert", request: { key: "k", value: 1 } },
      { operation: "merge", request: { key: "k", value: 2 } },
    ]);
    expect(response.status).toBe(400);
    expect(response.json.errorCode).toBe("ERR_NOT_SUPPORTED_STATE_OPERATION");
    expect((await get("k")).status).toBe(204);
  });

  test("a malformed body is 400; no operations is 204", async () => {
    const bad = await call("POST", "statestore/transaction", { rawBody: '{"operations": "all"}' });
    expect(bad.status).toBe(400);
    expect(bad.json.errorCode).toBe("ERR_MALFORMED_REQUEST");
    expect((await transact([])).status).toBe(204);
  });

  test("operations on one key run in order", async () => {
    const response = await transact([
      { operation: "upsert", request: { key: "k", value: 1 } },
      { operation: "delete", request: { key: "k" } },
      { operation: "upsert", request: { key: "k", value: 3 } },
    ]);
    expect(response.status).toBe(204);
    expect((await get("k")).json).toBe(3);
  });

  test("upserts take a TTL from their metadata", async () => {
    await transact([{ operation: "upsert", request: { key: "k", value: 1, metadata: { ttlInSeconds: "10" } } }]);
    expect((await get("k")).status).toBe(200);
    clock += 10_000;
    expect((await get("k")).status).toBe(204);
  });
});

describe("TTL", () => {
  test("an item expires after ttlInSeconds and reports its expiry time while alive", async () => {
    await save([{ key: "session", value: "s", metadata: { ttlInSeconds: "120" } }]);
    const alive = await get("session");
    expect(alive.status).toBe(200);
    expect(alive.headers.get("metadata.ttlExpireTime")).toBe("2026-03-01T10:02:00Z");

    clock += 119_000;
    expect((await get("session")).status).toBe(200);
    clock += 1_000;
    expect((await get("session")).status).toBe(204);
    const bulk = await call("POST", "statestore/bulk", { body: { keys: ["session"] } });
    expect(bulk.json).toEqual([{ key: "session" }]);
  });

  test("a TTL in the query string applies to every item", async () => {
    await call("POST", "statestore?metadata.ttlInSeconds=5", { body: [{ key: "a", value: 1 }, { key: "b", value: 2 }] });
    clock += 5_000;
    expect((await get("a")).status).toBe(204);
    expect((await get("b")).status).toBe(204);
  });

  test("-1 never expires and an item without a TTL has no expiry header", async () => {
    await save([
      { key: "forever", value: 1, metadata: { ttlInSeconds: "-1" } },
      { key: "plain", value: 2 },
    ]);
    clock += 10 * 365 * 24 * 3600_000;
    const forever = await get("forever");
    expect(forever.status).toBe(200);
    expect(forever.headers.get("metadata.ttlExpireTime")).toBeNull();
    expect((await get("plain")).status).toBe(200);
  });

  test("an expired key counts as missing: ETag writes fail, first-write succeeds", async () => {
    await save([{ key: "k", value: "old", metadata: { ttlInSeconds: "1" } }]);
    const etag = (await get("k")).headers.get("etag")!;
    clock += 1_000;
    expect((await save([{ key: "k", value: "x", etag }])).status).toBe(409);
    expect((await save([{ key: "k", value: "new", options: { concurrency: "first-write" } }])).status).toBe(204);
    expect((await get("k")).json).toBe("new");
  });

  test("a rewrite without a TTL makes the item permanent", async () => {
    await save([{ key: "k", value: 1, metadata: { ttlInSeconds: "1" } }]);
    await save([{ key: "k", value: 2 }]);
    clock += 5_000;
    expect((await get("k")).json).toBe(2);
  });

  test("sweepExpired removes expired rows from the file", async () => {
    await save([
      { key: "gone", value: 1, metadata: { ttlInSeconds: "1" } },
      { key: "kept", value: 2 },
    ]);
    clock += 1_000;
    expect(store.sweepExpired()).toBe(1);
    const rows = db.query<{ key: string }, []>("SELECT key FROM state_items").all();
    expect(rows.map((row) => row.key)).toEqual(["app-a||kept"]);
  });

  test("with the real clock a 1 second TTL expires and start() sweeps it", async () => {
    const realStore = createStateStore(db, { sweepIntervalMs: 20 });
    realStore.start();
    try {
      await save([{ key: "short", value: 1, metadata: { ttlInSeconds: "1" } }], { stateStore: realStore });
      expect((await get("short", { stateStore: realStore })).status).toBe(200);
      await waitFor(async () => (await get("short", { stateStore: realStore })).status === 204, { timeoutMs: 3000 });
      await waitFor(() => db.query("SELECT 1 FROM state_items").all().length === 0, { timeoutMs: 1000, message: "sweep" });
    } finally {
      realStore.stop();
    }
  });
});

describe("isolation and durability", () => {
  test("an app cannot read, overwrite or delete another app's key", async () => {
    await save([{ key: "secret-plan", value: "A's" }], { appId: "app-a" });
    expect((await get("secret-plan", { appId: "app-b" })).status).toBe(204);

    await save([{ key: "secret-plan", value: "B's" }], { appId: "app-b" });
    await call("DELETE", "statestore/secret-plan", { appId: "app-b" });
    expect((await get("secret-plan", { appId: "app-a" })).json).toBe("A's");

    const bulk = await call("POST", "statestore/bulk", { body: { keys: ["secret-plan"] }, appId: "app-b" });
    expect(bulk.json).toEqual([{ key: "secret-plan" }]);
  });

  test("keys are stored as <appId>||<key>, like daprd's default keyPrefix", async () => {
    await save([{ key: "k", value: 1 }], { appId: "notification" });
    const row = db.query<{ key: string }, []>("SELECT key FROM state_items").get();
    expect(row?.key).toBe("notification||k");
  });

  test("data and ETags survive closing and reopening the database file", async () => {
    await save([{ key: "durable", value: { kept: true }, metadata: { ttlInSeconds: "3600" } }]);
    const before = await get("durable");
    store.stop();
    db.close();

    db = openRuntimeDb(dataDir);
    store = createStateStore(db, { now: () => clock });
    const after = await get("durable");
    expect(after.json).toEqual({ kept: true });
    expect(after.headers.get("etag")).toBe(before.headers.get("etag"));
    expect(after.headers.get("metadata.ttlExpireTime")).toBe(before.headers.get("metadata.ttlExpireTime"));

    await save([{ key: "durable", value: 2 }]);
    expect(Number((await get("durable")).headers.get("etag"))).toBeGreaterThan(Number(before.headers.get("etag")));
  });
});
