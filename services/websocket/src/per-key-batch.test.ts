import { describe, expect, test } from "bun:test";
import { createPerKeyBatches } from "./per-key-batch.ts";

/** A flush that records its batches and finishes only when told to. */
function gatedFlush() {
  const batches: [string, number[]][] = [];
  const gates: (() => void)[] = [];
  const flush = (key: string, items: number[]) => {
    batches.push([key, items]);
    return new Promise<void>((resolve) => gates.push(resolve));
  };
  return { batches, flush, release: () => gates.splice(0).forEach((open) => open()) };
}

describe("per-key batches", () => {
  test("items that arrive while a batch is flushing form the next batch, in order, capped in size", async () => {
    const { batches, flush, release } = gatedFlush();
    const add = createPerKeyBatches(flush, 2);
    const done = [1, 2, 3, 4].map((item) => add("u", item));
    expect(batches).toEqual([["u", [1]]]);
    release();
    await done[0];
    expect(batches).toEqual([["u", [1]], ["u", [2, 3]]]);
    release();
    await done[2];
    release();
    await Promise.all(done);
    expect(batches).toEqual([["u", [1]], ["u", [2, 3]], ["u", [4]]]);
  });

  test("keys flush side by side", () => {
    const { batches, flush } = gatedFlush();
    const add = createPerKeyBatches(flush, 10);
    void add("a", 1);
    void add("b", 2);
    expect(batches).toEqual([["a", [1]], ["b", [2]]]);
  });

  test("a failed flush rejects every item of its batch; the next batch still runs", async () => {
    let calls = 0;
    const add = createPerKeyBatches<number>(async () => {
      if (calls++ === 0) throw new Error("store down");
    }, 10);
    const first = add("u", 1);
    const second = add("u", 2);
    await expect(first).rejects.toThrow("store down");
    await second;
    expect(calls).toBe(2);
  });
});
