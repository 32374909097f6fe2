import { describe, expect, test } from "bun:test";
import { parseRecurrence } from "./recurrence-rule.ts";

describe("recurrence rules", () => {
  test.each([
    ["FREQ=WEEKLY;BYDAY=MO;COUNT=10", "FREQ=WEEKLY;BYDAY=MO;COUNT=10"],
    ["FREQ=MONTHLY;BYMONTHDAY=1", "FREQ=MONTHLY;BYMONTHDAY=1"],
    ["RRULE:FREQ=DAILY;INTERVAL=2", "FREQ=DAILY;INTERVAL=2"],
    ["freq=monthly;byday=-1fr", "FREQ=MONTHLY;BYDAY=-1FR"],
    ["FREQ=DAILY;UNTIL=20301231", "FREQ=DAILY;UNTIL=20301231T235959Z"],
    ["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"],
    ["FREQ=HOURLY;BYHOUR=9,17", "FREQ=HOURLY;BYHOUR=9,17"],
  ])("%s is accepted and stored as %s", (rule, canonical) => {
    expect(parseRecurrence(rule)).toEqual({ ok: true, rule: canonical });
  });

  test.each([
    ["", "must not be empty"],
    ["BYDAY=MO", "must name its FREQ"],
    ["FREQ=FORTNIGHTLY", "not supported"],
    ["FREQ=MINUTELY", "not supported"],
    ["FREQ=DAILY;COUNT=0", "COUNT value out of range"],
    ["FREQ=DAILY;COUNT=x", "invalid COUNT value"],
    ["FREQ=DAILY;INTERVAL=0", "INTERVAL value out of range"],
    ["FREQ=MONTHLY;BYMONTHDAY=40", "BYMONTHDAY value out of range"],
    ["FREQ=WEEKLY;BYDAY=XX", "invalid BYDAY value"],
    ["FREQ=DAILY;FOO=1", "unknown RRULE part 'FOO'"],
    ["FREQ=DAILY;;", "unknown RRULE part ''"],
    ["FREQ=DAILY;FREQ=WEEKLY", "FREQ given twice"],
    ["FREQ=DAILY;COUNT=3;UNTIL=20301231", "COUNT and UNTIL must not both be given"],
    ["FREQ=DAILY;UNTIL=20300230", "UNTIL value out of range"],
    ["DTSTART:20300101T000000Z\nRRULE:FREQ=DAILY", "without DTSTART"],
    [`FREQ=DAILY;BYHOUR=${"1,".repeat(600)}1`, "at most 1000 characters"],
  ])("%j is refused: %s", (rule, message) => {
    const result = parseRecurrence(rule);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  test("a date-only UNTIL keeps its whole day", () => {
    expect(parseRecurrence("FREQ=DAILY;UNTIL=20260310")).toEqual({ ok: true, rule: "FREQ=DAILY;UNTIL=20260310T235959Z" });
    expect(parseRecurrence("FREQ=DAILY;UNTIL=20260310T090000Z")).toEqual({ ok: true, rule: "FREQ=DAILY;UNTIL=20260310T090000Z" });
  });
});
