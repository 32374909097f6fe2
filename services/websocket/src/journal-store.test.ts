import { afterAll, describe, expect, test } from "bun:test";
import { runtimeFixture } from "@todo/testkit";
import type { EventJson } from "./event-json.ts";
import { DEFAULT_JOURNAL_LIMITS } from "./journal.ts";
import { createJournalStore, journalEventKey } from "./journal-store.ts";

// The embedded runtime's state store: real ETags, as Redis gives them.
const fixture = runtimeFixture();
fixture.runtime();
afterAll(() => fixture.cleanup());

const dapr = () => fixture.sidecar("websocket");

/** One replica's journal store; each has its own client, as separate pods would. */
const replica = (maxEvents = 1000) =>
  createJournalStore({
    dapr: dapr(),
    stateStore: "statestore",
    limits: { ...DEFAULT_JOURNAL_LIMITS, maxEvents },
    now: Date.now,
  });
const event = (id: string): EventJson => ({ id, type: "todo.task.updated.v1", data: { userId: "u" } });

/** Every event of the journal, oldest first: a replay after a marker appended first. */
async function journalOf(userId: string, maxEvents = 1000): Promise<string[]> {
  const replay = await replica(maxEvents).replay(userId, "start");
  if (replay.kind !== "events") throw new Error(`no journal for ${userId}`);
  return replay.events.map((e) => e.id);
}

describe("journal in Dapr state", () => {
  test("concurrent appends from several writers all land, each once", async () => {
    await replica().append("user-concurrent", [event("start")]);
    const writers = [replica(), replica(), replica(), replica()];
    const events = Array.from({ length: 60 }, (_, i) => event(`e${i}`));
    await Promise.all(events.map((e, i) => writers[i % writers.length]!.append("user-concurrent", [e])));
    expect((await journalOf("user-concurrent")).toSorted()).toEqual(events.map((e) => e.id).toSorted());
  });

  test("every replica appending the same event keeps one copy", async () => {
    await replica().append("user-shared", [event("start")]);
    const results = await Promise.all([replica(), replica(), replica()].map((writer) => writer.append("user-shared", [event("same")])));
    expect(results.map((added) => added.map((e) => e.id)).toSorted()).toEqual([[], [], ["same"]]);
    expect(await journalOf("user-shared")).toEqual(["same"]);
  });

  test("a batch lands in order; events already held are left out", async () => {
    const writer = replica();
    await writer.append("user-batch", ["start", "a"].map(event));
    const added = await writer.append("user-batch", ["a", "b", "c"].map(event));
    expect(added.map((e) => e.id)).toEqual(["b", "c"]);
    expect(await journalOf("user-batch")).toEqual(["a", "b", "c"]);
  });

  test("the journal keeps only the newest events; the items of those it drops go with the next append", async () => {
    const writer = replica(3);
    for (const id of ["start", "a", "b", "c", "d"]) await writer.append("user-bounded", [event(id)]);
    const replay = await writer.replay("user-bounded", "b");
    expect(replay).toEqual({ kind: "events", events: [event("c"), event("d")] });
    expect((await writer.replay("user-bounded", "a")).kind).toBe("reset");
    const items = async (ids: string[]) =>
      (await dapr().getBulkState("statestore", ids.map((id) => journalEventKey("user-bounded", id)))).map((item) => item.value !== undefined);
    expect(await items(["start", "a", "b"])).toEqual([false, true, true]);
    await writer.append("user-bounded", [event("e")]);
    expect(await items(["start", "a", "b", "c"])).toEqual([false, false, true, true]);
  });

  test("an event item gone before its index entry makes the replay a reset, never a silent gap", async () => {
    const writer = replica();
    await writer.append("user-lost", ["start", "a", "b"].map(event));
    await dapr().deleteState("statestore", journalEventKey("user-lost", "a"));
    expect(await writer.replay("user-lost", "start")).toEqual({ kind: "reset", reason: "replay-gap" });
    expect(await writer.replay("user-lost", "a")).toEqual({ kind: "events", events: [event("b")] });
  });

  test("journals of different users are apart", async () => {
    await replica().append("user-one", [event("x")]);
    expect((await replica().replay("user-two", "x")).kind).toBe("reset");
  });
});
