import { describe, expect, test } from "bun:test";
import type { EventJson } from "./event-json.ts";
import { createReplayMerge } from "./replay-merge.ts";

const event = (id: string): EventJson => ({ id, type: "todo.task.updated.v1" });

/** What a connection sends: the replay, then what was held meanwhile, each id once (as the gateway drives it). */
function framesSent(replayed: string[], heldDuringReplay: string[]): string[] {
  const merge = createReplayMerge({ maxHeld: 100, maxRemembered: 100 });
  for (const id of heldDuringReplay) merge.hold(event(id));
  const sent: string[] = [];
  for (const { id } of replayed.map(event)) if (merge.admit(id)) sent.push(id);
  for (let held = merge.takeHeld(); held; held = merge.takeHeld()) if (merge.admit(held.id)) sent.push(held.id);
  return sent;
}

describe("merging the replay with live events", () => {
  test("the replay comes first, then live events that arrived meanwhile", () => {
    expect(framesSent(["a", "b"], ["c", "d"])).toEqual(["a", "b", "c", "d"]);
  });

  test("an event both replayed and received live is sent once, in its journal place", () => {
    expect(framesSent(["a", "b", "c"], ["b", "c", "d"])).toEqual(["a", "b", "c", "d"]);
  });

  test("a live event delivered twice is sent once", () => {
    expect(framesSent([], ["a", "a", "b"])).toEqual(["a", "b"]);
  });

  test("the hold refuses events past its limit, so a slow tab cannot grow it without bound", () => {
    const merge = createReplayMerge({ maxHeld: 2, maxRemembered: 10 });
    expect([merge.hold(event("a")), merge.hold(event("b")), merge.hold(event("c"))]).toEqual([true, true, false]);
  });

  test("only the most recent ids are remembered", () => {
    const merge = createReplayMerge({ maxHeld: 10, maxRemembered: 2 });
    for (const id of ["a", "b", "c"]) merge.admit(id);
    expect([merge.hasSent("a"), merge.hasSent("b"), merge.hasSent("c")]).toEqual([false, true, true]);
  });
});
