import { describe, expect, test } from "bun:test";
import { addIsoDuration, parseIsoDuration } from "./iso-duration.ts";
import { parsePointInTime, parseRfc3339 } from "./point-in-time.ts";

const from = Date.parse("2026-01-31T10:00:00.000Z");

describe("parseRfc3339", () => {
  test("reads UTC, offsets and fractional seconds", () => {
    expect(parseRfc3339("2026-01-01T09:00:00Z")).toBe(Date.parse("2026-01-01T09:00:00Z"));
    expect(parseRfc3339("2026-01-01T09:00:00+02:00")).toBe(Date.parse("2026-01-01T07:00:00Z"));
    expect(parseRfc3339("2026-01-01T09:00:00-05:30")).toBe(Date.parse("2026-01-01T14:30:00Z"));
    expect(parseRfc3339("2026-01-01T09:00:00.25Z")).toBe(Date.parse("2026-01-01T09:00:00.250Z"));
  });

  test("rounds sub-millisecond fractions up so a job is never early", () => {
    expect(parseRfc3339("2026-01-01T09:00:00.1231Z")).toBe(Date.parse("2026-01-01T09:00:00.124Z"));
    expect(parseRfc3339("2026-01-01T09:00:00.290000000Z")).toBe(Date.parse("2026-01-01T09:00:00.290Z"));
  });

  test.each([
    "2026-01-01 09:00:00Z",
    "2026-01-01T09:00:00",
    "2026-01-01",
    "2026-02-29T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-01-01T24:00:00Z",
    "2026-01-01T09:60:00Z",
    "2026-01-01T09:00:00z",
  ])("rejects %p", (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });

  test("accepts 29 February in a leap year", () => {
    expect(parseRfc3339("2028-02-29T00:00:00Z")).toBe(Date.parse("2028-02-29T00:00:00Z"));
  });
});

describe("parseIsoDuration", () => {
  test("reads date and time parts", () => {
    expect(parseIsoDuration("P1DT2H")).toEqual({ years: 0, months: 0, days: 1, ms: 7_200_000 });
    expect(parseIsoDuration("PT1.5S")).toEqual({ years: 0, months: 0, days: 0, ms: 1_500 });
    expect(parseIsoDuration("P1Y2M3W4DT5H6M7S")).toEqual({ years: 1, months: 2, days: 25, ms: 18_367_000 });
  });

  test.each(["P", "PT", "P1DT", "1DT2H", "R3/PT1H", "PT1H2D", "P1.5D", ""])("rejects %p", (text) => {
    expect(parseIsoDuration(text)).toBeUndefined();
  });

  test("adds months on the calendar, overflowing like Go's AddDate", () => {
    expect(addIsoDuration(from, parseIsoDuration("P1M")!)).toBe(Date.parse("2026-03-03T10:00:00Z"));
    expect(addIsoDuration(from, parseIsoDuration("P1Y")!)).toBe(Date.parse("2027-01-31T10:00:00Z"));
  });
});

describe("parsePointInTime (dueTime and ttl)", () => {
  test("an RFC3339 instant is absolute", () => {
    expect(parsePointInTime("2026-06-01T00:00:00Z", from)).toBe(Date.parse("2026-06-01T00:00:00Z"));
  });

  test("a Go duration counts from the reference", () => {
    expect(parsePointInTime("30s", from)).toBe(from + 30_000);
    expect(parsePointInTime("1h30m", from)).toBe(from + 5_400_000);
  });

  test("an ISO-8601 duration counts from the reference", () => {
    expect(parsePointInTime("P1DT2H", from)).toBe(from + 26 * 3_600_000);
    expect(parsePointInTime("PT10S", from)).toBe(from + 10_000);
  });

  test("sub-millisecond durations round up", () => {
    expect(parsePointInTime("1ns", from)).toBe(from + 1);
    expect(parsePointInTime("1.5ms", from)).toBe(from + 2);
  });

  test.each(["tomorrow", "", "R2/PT1H", "10", "2026-06-01"])("rejects %p", (text) => {
    expect(parsePointInTime(text, from)).toBeUndefined();
  });
});
