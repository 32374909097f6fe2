import { describe, expect, test } from "bun:test";
import { parseSchedule, type Schedule } from "./schedule.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function scheduleOf(text: string): Schedule {
  const parsed = parseSchedule(text);
  if (!parsed.ok) throw new Error(`expected ${text} to parse: ${parsed.error}`);
  return parsed.schedule;
}

function runs(text: string, from: string, count: number): string[] {
  const schedule = scheduleOf(text);
  const out: string[] = [];
  let cursor = at(from);
  for (let i = 0; i < count; i++) {
    const next = schedule.next(cursor);
    if (next === undefined) break;
    out.push(iso(next)!);
    cursor = next;
  }
  return out;
}

describe("cron with seconds", () => {
  test("the first field is seconds", () => {
    expect(runs("*/15 * * * * *", "2026-01-01T00:00:00Z", 3)).toEqual([
      "2026-01-01T00:00:15.000Z",
      "2026-01-01T00:00:30.000Z",
      "2026-01-01T00:00:45.000Z",
    ]);
  });

  test("every 5 minutes on the minute, as in the Dapr docs", () => {
    expect(runs("0 */5 * * * *", "2026-01-01T00:01:30Z", 2)).toEqual(["2026-01-01T00:05:00.000Z", "2026-01-01T00:10:00.000Z"]);
  });

  test("the next run is strictly after the reference", () => {
    expect(iso(scheduleOf("0 0 9 * * *").next(at("2026-01-01T09:00:00Z")))).toBe("2026-01-02T09:00:00.000Z");
    expect(iso(scheduleOf("0 0 9 * * *").next(at("2026-01-01T08:59:59.999Z")))).toBe("2026-01-01T09:00:00.000Z");
  });

  test("month and weekday names, ranges and lists", () => {
    expect(runs("0 30 8 * JAN-FEB MON,fri", "2026-01-01T00:00:00Z", 3)).toEqual([
      "2026-01-02T08:30:00.000Z",
      "2026-01-05T08:30:00.000Z",
      "2026-01-09T08:30:00.000Z",
    ]);
  });

  test("N/step runs from N to the end of the field (robfig)", () => {
    expect(runs("50/5 * * * * *", "2026-01-01T00:00:00Z", 3)).toEqual([
      "2026-01-01T00:00:50.000Z",
      "2026-01-01T00:00:55.000Z",
      "2026-01-01T00:01:50.000Z",
    ]);
  });

  test("? is a wildcard, not the current time", () => {
    expect(runs("0 0 0 ? * ?", "2026-01-01T12:00:00Z", 2)).toEqual(["2026-01-02T00:00:00.000Z", "2026-01-03T00:00:00.000Z"]);
  });

  test("day of month and day of week are OR-ed when both are restricted", () => {
    // 1 Feb 2026 is a Sunday; Mondays are 26 Jan and 2 Feb.
    expect(runs("0 0 0 1 * MON", "2026-01-20T00:00:00Z", 3)).toEqual([
      "2026-01-26T00:00:00.000Z",
      "2026-02-01T00:00:00.000Z",
      "2026-02-02T00:00:00.000Z",
    ]);
  });
});

describe("descriptors and @every", () => {
  test.each([
    ["@yearly", "2027-01-01T00:00:00.000Z"],
    ["@annually", "2027-01-01T00:00:00.000Z"],
    ["@monthly", "2026-04-01T00:00:00.000Z"],
    ["@weekly", "2026-03-22T00:00:00.000Z"],
    ["@daily", "2026-03-19T00:00:00.000Z"],
    ["@midnight", "2026-03-19T00:00:00.000Z"],
    ["@hourly", "2026-03-18T11:00:00.000Z"],
  ])("%s", (text, expected) => {
    // 18 March 2026 is a Wednesday.
    expect(iso(scheduleOf(text).next(at("2026-03-18T10:20:30Z")))).toBe(expected);
  });

  test("@every adds a Go duration to the previous run, to the millisecond", () => {
    const from = at("2026-01-01T00:00:00.123Z");
    expect(scheduleOf("@every 1h30m").next(from)).toBe(from + 5_400_000);
    expect(scheduleOf("@every 500ms").next(from)).toBe(from + 500);
    expect(scheduleOf("@every 1.5s").next(from)).toBe(from + 1_500);
  });
});

describe("time zones", () => {
  test("without a prefix the schedule is in UTC", () => {
    expect(iso(scheduleOf("0 0 9 * * *").next(at("2026-01-01T00:00:00Z")))).toBe("2026-01-01T09:00:00.000Z");
  });

  test("TZ= runs the fields in that zone, across daylight saving time", () => {
    const schedule = scheduleOf("TZ=America/New_York 0 0 9 * * *");
    expect(iso(schedule.next(at("2026-01-01T00:00:00Z")))).toBe("2026-01-01T14:00:00.000Z");
    expect(iso(schedule.next(at("2026-07-01T00:00:00Z")))).toBe("2026-07-01T13:00:00.000Z");
  });

  test("CRON_TZ= works too, and applies to descriptors", () => {
    expect(iso(scheduleOf("CRON_TZ=Asia/Tokyo @daily").next(at("2026-01-01T00:00:00Z")))).toBe("2026-01-01T15:00:00.000Z");
  });
});

describe("invalid schedules", () => {
  test.each([
    ["", "empty"],
    ["* * * * *", "five fields (no seconds)"],
    ["0 0 0 1 1 * 2026", "seven fields"],
    ["60 * * * * *", "second out of range"],
    ["0 0 24 * * *", "hour out of range"],
    ["0 0 0 0 * *", "day of month 0"],
    ["0 0 0 * 13 *", "month 13"],
    ["0 0 0 * * 7", "weekday 7"],
    ["0 0 0 L * *", "croner's L extension"],
    ["0 0 0 * * 1#2", "croner's # extension"],
    ["*/0 * * * * *", "step 0"],
    ["5-1 * * * * *", "reversed range"],
    ["1-2-3 * * * * *", "too many hyphens"],
    ["1/2/3 * * * * *", "too many slashes"],
    ["a * * * * *", "not a number"],
    ["0 0 0 * FOO *", "unknown month name"],
    ["1,,2 * * * * *", "empty list item"],
    ["@every", "@every without a duration"],
    ["@every 1d", "@every with a unit Go lacks"],
    ["@every 0s", "@every zero"],
    ["@every -1s", "@every negative"],
    ["@fortnightly", "unknown descriptor"],
    ["@daily ", "descriptor with trailing text"],
    ["TZ=Mars/Olympus 0 0 9 * * *", "unknown zone"],
    ["TZ=UTC", "zone without a schedule"],
  ])("%p (%s)", (text) => {
    const parsed = parseSchedule(text);
    expect(parsed.ok).toBe(false);
  });
});
