import { describe, expect, test } from "bun:test";
import { connectionsElsewhere, withInstanceCount, type Presence } from "./connection-registry.ts";

const STALE = 1000;

describe("connection registry", () => {
  test("counts the open connections of other live replicas", () => {
    const presence: Presence = { a: { count: 2, seenAt: 900 }, b: { count: 1, seenAt: 950 }, me: { count: 5, seenAt: 990 } };
    expect(connectionsElsewhere(presence, "me", 1000, STALE)).toBe(3);
  });

  test("a replica that stopped refreshing its entry no longer counts", () => {
    expect(connectionsElsewhere({ dead: { count: 3, seenAt: 0 } }, "me", 1000, STALE)).toBe(0);
  });

  test("writing a count replaces this replica's entry, removes it at zero and drops stale ones", () => {
    const presence: Presence = { other: { count: 1, seenAt: 1500 }, dead: { count: 4, seenAt: 100 } };
    expect(withInstanceCount(presence, "me", 2, 2000, STALE)).toEqual({ other: { count: 1, seenAt: 1500 }, me: { count: 2, seenAt: 2000 } });
    expect(withInstanceCount({ me: { count: 2, seenAt: 1900 } }, "me", 0, 2000, STALE)).toEqual({});
  });
});
