import { describe, expect, test } from "bun:test";
import { findRecurrence, firstOccurrence } from "./recurrence-phrases.ts";

const NOW = new Date("2026-03-10T12:00:00Z"); // a Tuesday
const rule = (text: string) => findRecurrence(text, NOW, "UTC")?.rule;

describe("recurrence phrases to RRULE", () => {
  test.each([
    ["every weekday at 9", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
    ["every 2 weeks on Monday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"],
    ["daily for 10 days", "FREQ=DAILY;COUNT=10"],
    ["on the 1st of every month", "FREQ=MONTHLY;BYMONTHDAY=1"],
    ["every tuesday and thursday", "FREQ=WEEKLY;BYDAY=TU,TH"],
    ["every other day", "FREQ=DAILY;INTERVAL=2"],
    ["every hour", "FREQ=HOURLY"],
    ["annually", "FREQ=YEARLY"],
    ["repeat 5 times every week", "FREQ=WEEKLY;COUNT=5"],
  ])("%s -> %s", (text, expected) => {
    expect(rule(text)).toBe(expected);
  });

  test("until a month means through its last minute in the user's zone", () => {
    expect(findRecurrence("monthly until June", NOW, "UTC")?.rule).toBe("FREQ=MONTHLY;UNTIL=20260630T235900Z");
    expect(findRecurrence("monthly until June 15", NOW, "Asia/Karachi")?.rule).toBe("FREQ=MONTHLY;UNTIL=20260615T185900Z");
  });

  test("until a month already past means next year's", () => {
    expect(findRecurrence("weekly until February", NOW, "UTC")?.rule).toBe("FREQ=WEEKLY;UNTIL=20270228T235900Z");
  });

  test("words that only look like days are not recurrences", () => {
    // Issue 16: "the monthly report" names a report; "monthly" alone is a recurrence.
    expect(rule("review the monthly report")).toBeUndefined();
    expect(rule("review report monthly")).toBe("FREQ=MONTHLY");
    expect(rule("call mom on monday")).toBeUndefined();
    expect(rule("buy milk")).toBeUndefined();
  });

  test("the anchor is the first matching day after now", () => {
    const weekdays = findRecurrence("every weekday", NOW, "UTC")!;
    expect(firstOccurrence(weekdays, NOW, "UTC", 9, 0)).toBe("2026-03-11T09:00:00.000Z");
    expect(firstOccurrence(weekdays, NOW, "UTC", 18, 30)).toBe("2026-03-10T18:30:00.000Z");
    const saturday = findRecurrence("every saturday", NOW, "UTC")!;
    expect(firstOccurrence(saturday, NOW, "UTC")).toBe("2026-03-14T09:00:00.000Z");
    const first = findRecurrence("on the 1st of every month", NOW, "UTC")!;
    expect(firstOccurrence(first, NOW, "UTC")).toBe("2026-04-01T09:00:00.000Z");
  });
});
