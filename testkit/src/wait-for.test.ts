import { describe, expect, test } from "bun:test";
import { expectUnchanged, waitFor } from "./wait-for.ts";

describe("waitFor", () => {
  test("resolves with the condition's first truthy value", async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { timeoutMs: 1000, intervalMs: 1 });
    expect(value).toEqual({ calls: 3 });
  });

  test("fails after the deadline saying what it waited for and what it saw", async () => {
    const waiting = waitFor(() => false, {
      timeoutMs: 30,
      intervalMs: 5,
      message: "the impossible",
      describe: () => "nothing arrived",
    });
    await expect(waiting).rejects.toThrow(/waiting for the impossible[\s\S]*observed: nothing arrived/);
  });
});

describe("expectUnchanged", () => {
  test("fails as soon as the watched value changes", async () => {
    let count = 0;
    const timer = setTimeout(() => count++, 10);
    await expect(expectUnchanged(() => count, 500, "count moved", 5)).rejects.toThrow("count moved: changed from 0 to 1");
    clearTimeout(timer);
  });

  test("passes when the value stays the same for the window", async () => {
    await expectUnchanged(() => 1, 30, "constant", 5);
  });
});
