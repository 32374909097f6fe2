import { describe, expect, test } from "bun:test";
import { deterministicEventId } from "./ids.ts";
import { UUID_PATTERN } from "./schema-primitives.ts";

describe("deterministicEventId", () => {
  test("the same parts always give the same id", () => {
    expect(deterministicEventId("recurrence", "series-1", "2")).toBe(deterministicEventId("recurrence", "series-1", "2"));
  });

  test("different parts give different ids, including the same text split differently", () => {
    const ids = new Set([
      deterministicEventId("recurrence", "series-1", "2"),
      deterministicEventId("recurrence", "series-1", "3"),
      deterministicEventId("reminder-fired", "series-1", "2"),
      deterministicEventId("ab", "c"),
      deterministicEventId("a", "bc"),
      deterministicEventId("abc"),
    ]);
    expect(ids.size).toBe(6);
  });

  test("is a UUID with version 8 and the RFC 9562 variant, so event-id schemas accept it", () => {
    const id = deterministicEventId("reminder-delivered", "0190f3a0-0000-7000-8000-000000000001-1767258000000");
    expect(id).toMatch(new RegExp(UUID_PATTERN));
    expect(id[14]).toBe("8");
    expect(["8", "9", "a", "b"]).toContain(id[19]!);
  });

  test("refuses to derive an id from nothing", () => {
    expect(() => deterministicEventId()).toThrow();
  });
});
