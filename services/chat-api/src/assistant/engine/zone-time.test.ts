import { describe, expect, test } from "bun:test";
import { instantAt, wallClock, zoneOffsetMinutes } from "./zone-time.ts";

describe("wall-clock time in a zone", () => {
  test("offsets follow daylight saving time", () => {
    expect(zoneOffsetMinutes("Europe/Paris", new Date("2026-01-15T12:00:00Z"))).toBe(60);
    expect(zoneOffsetMinutes("Europe/Paris", new Date("2026-07-15T12:00:00Z"))).toBe(120);
    expect(zoneOffsetMinutes("America/New_York", new Date("2026-01-15T12:00:00Z"))).toBe(-300);
    expect(zoneOffsetMinutes("UTC", new Date())).toBe(0);
  });

  test("09:00 local is the right instant on both sides of a DST change", () => {
    expect(instantAt("Europe/Paris", 2026, 3, 28, 9, 0).toISOString()).toBe("2026-03-28T08:00:00.000Z");
    expect(instantAt("Europe/Paris", 2026, 3, 30, 9, 0).toISOString()).toBe("2026-03-30T07:00:00.000Z");
  });

  test("day overflow rolls into the next month", () => {
    expect(instantAt("UTC", 2026, 1, 32, 0, 0).toISOString()).toBe("2026-02-01T00:00:00.000Z");
  });

  test("the local date can differ from the UTC date", () => {
    expect(wallClock(new Date("2026-03-10T20:00:00Z"), "Asia/Karachi")).toMatchObject({ day: 11, hour: 1, weekday: 3 });
  });
});
