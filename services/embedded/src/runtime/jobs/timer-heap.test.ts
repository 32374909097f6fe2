import { expect, test } from "bun:test";
import { createTimerHeap } from "./timer-heap.ts";

test("pops keys in due order after inserts, moves and deletes", () => {
  const heap = createTimerHeap();
  const expected = new Map<string, number>();
  // A fixed pseudo-random sequence, so a failure can be replayed.
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  for (let i = 0; i < 2_000; i++) {
    const key = `job-${Math.floor(random() * 500)}`;
    if (random() < 0.2) {
      expect(heap.delete(key)).toBe(expected.delete(key));
    } else {
      const at = Math.floor(random() * 10_000);
      heap.set(key, at);
      expected.set(key, at);
    }
  }
  expect(heap.size).toBe(expected.size);
  const popped: { key: string; at: number }[] = [];
  for (let top = heap.pop(); top; top = heap.pop()) popped.push(top);
  expect(popped.map((entry) => entry.at)).toEqual([...expected.values()].sort((a, b) => a - b));
  expect(new Map(popped.map((entry) => [entry.key, entry.at]))).toEqual(expected);
});

test("peek shows the earliest without removing it; clear empties", () => {
  const heap = createTimerHeap();
  heap.set("b", 20);
  heap.set("a", 10);
  heap.set("b", 5);
  expect(heap.peek()).toEqual({ key: "b", at: 5 });
  expect(heap.size).toBe(2);
  heap.clear();
  expect(heap.peek()).toBeUndefined();
  expect(heap.pop()).toBeUndefined();
});
