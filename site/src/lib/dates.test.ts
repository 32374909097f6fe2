import { describe, expect, test } from "bun:test";
import { relativeDay, relativeWhen } from "./dates.ts";

const NOW = new Date(2026, 11, 2, 12, 0); // Wednesday 2 December 2026
const day = (offset: number, hour = 9) => new Date(2026, 11, 2 + offset, hour, 0);

describe("dates as people read them", () => {
  test("relative words near today, weekdays within a week, the year only when it is not this year", () => {
    expect(relativeDay(day(0), NOW, "en-GB")).toBe("Today");
    expect(relativeDay(day(1), NOW, "en-GB")).toBe("Tomorrow");
    expect(relativeDay(day(-1), NOW, "en-GB")).toBe("Yesterday");
    expect(relativeDay(day(2), NOW, "en-GB")).toBe("Friday");
    expect(relativeDay(day(9), NOW, "en-GB")).toBe("Fri 11 Dec");
    expect(relativeDay(new Date(2027, 11, 2), NOW, "en-GB")).toBe("Thu, 2 Dec 2027");
  });

  test("the locale decides words and the 12- or 24-hour clock", () => {
    expect(relativeWhen(day(1).toISOString(), NOW, "en-US")).toBe("Tomorrow, 9:00 AM");
    expect(relativeWhen(day(1).toISOString(), NOW, "en-GB")).toBe("Tomorrow, 09:00");
    expect(relativeWhen(day(1).toISOString(), NOW, "de-DE")).toBe("Morgen, 09:00");
  });
});
