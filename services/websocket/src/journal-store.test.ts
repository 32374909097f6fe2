import { afterAll, describe, expect, test } from "bun:test";
import { createDaprClient, createMemoryLogger } from "@todo/common";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRuntime } from "../../embedded/src/runtime/runtime.ts";
import type { EventJson } from "./event-json.ts";
import { DEFAULT_JOURNAL_LIMITS } from "./journal.ts";
import { createJournalStore } from "./journal-store.ts";

// The embedded runtime's state store: real ETags, as Redis gives them.
const dataDir = mkdtempSync(join(tmpdir(), "websocket-journal-"));
const runtime = createRuntime({ dataDir, logger: createMemoryLogger(), env: {} });
afterAll(async () => {
  await runtime.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** One replica's journal store; each has its own client, as separate pods would. */
const replica = (maxEvents = 1000) =>
  createJournalStore({
    dapr: createDaprClient({ baseUrl: "http://dapr.local", fetch: runtime.sidecar("websocket") }),
    stateStore: "statestore",
    limits: { ...DEFAULT_JOURNAL_LIMITS, maxEvents },
    now: Date.now,
  });
const event = (id: string): EventJson => ({ id, type: "todo.task.updated.v1", data: { userId: "u" } });

describe("journal in Dapr state", () => {
  test("concurrent appends from several writers all land, each once", async () => {
    const writers = [replica(), replica(), replica(), replica()];
    const events = Array.from({ length: 60 }, (_, i) => event(`e${i}`));
    await Promise.all(events.map((e, i) => writers[i % writers.length]!.append("user-concurrent", e)));
    const ids = (await replica().read("user-concurrent")).map((entry) => entry.id);
    expect(ids.toSorted()).toEqual(events.map((e) => e.id).toSorted());
  });

  test("every replica appending the same event keeps one copy", async () => {
    const results = await Promise.all([replica(), replica(), replica()].map((writer) => writer.append("user-shared", event("same"))));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await replica().read("user-shared")).map((entry) => entry.id)).toEqual(["same"]);
  });

  test("the stored journal keeps only the newest events", async () => {
    const writer = replica(3);
    for (const id of ["a", "b", "c", "d", "e"]) await writer.append("user-bounded", event(id));
    expect((await writer.read("user-bounded")).map((entry) => entry.id)).toEqual(["c", "d", "e"]);
  });

  test("journals of different users are apart", async () => {
    await replica().append("user-one", event("x"));
    expect(await replica().read("user-two")).toEqual([]);
  });
});
