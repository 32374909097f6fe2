import { describe, expect, test } from "bun:test";
import type { Task } from "@todo/common";
import { sampleTask } from "@todo/testkit";
import { nextOccurrence, type OccurrenceDraft } from "./next-occurrence.ts";

const SERIES = "0190f3a0-0000-7000-8000-0000000000f0";

/** A completed occurrence of a series; 2026-03-02 is a Monday. */
function completedTask(overrides: Partial<Task>): Task {
  return sampleTask({
    id: "0190f3a0-0000-7000-8000-000000000011",
    seriesId: SERIES,
    occurrence: 0,
    status: "completed",
    dueAt: "2026-03-02T09:00:00Z",
    remindAt: null,
    completedAt: "2026-03-04T17:00:00Z",
    ...overrides,
  });
}

function nextOf(overrides: Partial<Task>): OccurrenceDraft {
  const result = nextOccurrence(completedTask(overrides));
  if (result.next === null) throw new Error(`expected a next occurrence, got ${result.reason}: ${result.detail}`);
  return result.next;
}

const instant = (text: string | null) => (text === null ? null : new Date(text).toISOString());

describe("nextOccurrence: the next due date", () => {
  const cases: { name: string; rule: string; dueAt: string; occurrence?: number; timeZone?: string; expected: string }[] = [
    { name: "daily", rule: "FREQ=DAILY", dueAt: "2026-03-02T09:00:00Z", expected: "2026-03-03T09:00:00Z" },
    { name: "daily every 3 days", rule: "FREQ=DAILY;INTERVAL=3", dueAt: "2026-03-02T09:00:00Z", expected: "2026-03-05T09:00:00Z" },
    { name: "hourly every 8 hours", rule: "FREQ=HOURLY;INTERVAL=8", dueAt: "2026-03-02T20:00:00Z", expected: "2026-03-03T04:00:00Z" },
    { name: "weekly on Monday", rule: "FREQ=WEEKLY;BYDAY=MO", dueAt: "2026-03-02T09:00:00Z", expected: "2026-03-09T09:00:00Z" },
    { name: "weekly on Monday and Thursday", rule: "FREQ=WEEKLY;BYDAY=MO,TH", dueAt: "2026-03-02T09:00:00Z", expected: "2026-03-05T09:00:00Z" },
    {
      name: "every other week on Monday and Wednesday, from the Wednesday",
      rule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE",
      dueAt: "2026-03-04T09:00:00Z",
      occurrence: 1,
      expected: "2026-03-16T09:00:00Z",
    },
    { name: "weekly without BYDAY keeps the anchor's weekday", rule: "FREQ=WEEKLY", dueAt: "2026-03-04T09:00:00Z", expected: "2026-03-11T09:00:00Z" },
    { name: "monthly on the 31st skips February", rule: "FREQ=MONTHLY;BYMONTHDAY=31", dueAt: "2026-01-31T09:00:00Z", expected: "2026-03-31T09:00:00Z" },
    { name: "monthly on the 31st skips April", rule: "FREQ=MONTHLY;BYMONTHDAY=31", dueAt: "2026-03-31T09:00:00Z", expected: "2026-05-31T09:00:00Z" },
    { name: "monthly on the last day", rule: "FREQ=MONTHLY;BYMONTHDAY=-1", dueAt: "2026-01-31T09:00:00Z", expected: "2026-02-28T09:00:00Z" },
    { name: "monthly on the first Friday", rule: "FREQ=MONTHLY;BYDAY=1FR", dueAt: "2026-03-06T09:00:00Z", expected: "2026-04-03T09:00:00Z" },
    { name: "yearly", rule: "FREQ=YEARLY", dueAt: "2026-02-14T09:00:00Z", expected: "2027-02-14T09:00:00Z" },
    { name: "yearly on a leap day", rule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", dueAt: "2024-02-29T09:00:00Z", expected: "2028-02-29T09:00:00Z" },
    {
      name: "yearly on a leap day across 2100, which is not a leap year",
      rule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
      dueAt: "2096-02-29T09:00:00Z",
      expected: "2104-02-29T09:00:00Z",
    },
    {
      name: "weekly Monday in a +02:00 zone, due just after local midnight (Sunday in UTC)",
      rule: "FREQ=WEEKLY;BYDAY=MO",
      dueAt: "2026-03-02T00:30:00+02:00",
      expected: "2026-03-09T00:30:00+02:00",
    },
    {
      name: "weekly Sunday in a -05:00 zone, due in the evening (Monday in UTC)",
      rule: "FREQ=WEEKLY;BYDAY=SU",
      dueAt: "2026-03-01T21:00:00-05:00",
      expected: "2026-03-08T21:00:00-05:00",
    },
    {
      name: "monthly on the 1st in a +05:30 zone, due at 02:00 local (the previous day in UTC)",
      rule: "FREQ=MONTHLY;BYMONTHDAY=1",
      dueAt: "2026-03-01T02:00:00+05:30",
      expected: "2026-04-01T02:00:00+05:30",
    },
    {
      name: "weekly Monday 21:00 in America/New_York, stored in UTC (Tuesday), across the start of DST",
      rule: "FREQ=WEEKLY;BYDAY=MO",
      dueAt: "2026-03-03T02:00:00Z",
      timeZone: "America/New_York",
      expected: "2026-03-10T01:00:00Z",
    },
    {
      name: "weekly Monday 21:00 in America/New_York across the end of DST",
      rule: "FREQ=WEEKLY;BYDAY=MO",
      dueAt: "2026-10-27T01:00:00Z",
      timeZone: "America/New_York",
      expected: "2026-11-03T02:00:00Z",
    },
    {
      name: "daily 00:30 in Asia/Karachi, stored in UTC (the previous day)",
      rule: "FREQ=DAILY",
      dueAt: "2026-03-01T19:30:00Z",
      timeZone: "Asia/Karachi",
      expected: "2026-03-02T19:30:00Z",
    },
    {
      name: "monthly on the 1st at 00:30 in Asia/Karachi, stored in UTC (the last day of the month before)",
      rule: "FREQ=MONTHLY;BYMONTHDAY=1",
      dueAt: "2026-02-28T19:30:00Z",
      timeZone: "Asia/Karachi",
      expected: "2026-03-31T19:30:00Z",
    },
    {
      name: "daily 02:30 in America/New_York, on the day that hour is skipped: read on the offset before the change",
      rule: "FREQ=DAILY",
      dueAt: "2026-03-07T07:30:00Z",
      timeZone: "America/New_York",
      expected: "2026-03-08T07:30:00Z",
    },
    {
      name: "weekly Monday in UTC: the default zone behaves like the offset",
      rule: "FREQ=WEEKLY;BYDAY=MO",
      dueAt: "2026-03-02T09:00:00Z",
      timeZone: "UTC",
      expected: "2026-03-09T09:00:00Z",
    },
  ];

  for (const { name, rule, dueAt, occurrence = 0, timeZone, expected } of cases) {
    test(`${name}: ${rule} from ${dueAt} -> ${expected}`, () => {
      const next = nextOf(timeZone === undefined ? { recurrence: rule, dueAt, occurrence } : { recurrence: rule, dueAt, occurrence, timeZone });
      expect(instant(next.dueAt)).toBe(instant(expected));
      expect(next.occurrence).toBe(occurrence + 1);
    });
  }

  test("the due date is written on the anchor's own offset", () => {
    expect(nextOf({ recurrence: "FREQ=DAILY", dueAt: "2026-03-02T09:00:00+01:00" }).dueAt).toBe("2026-03-03T09:00:00.000+01:00");
    expect(nextOf({ recurrence: "FREQ=DAILY", dueAt: "2026-03-02T09:00:00Z" }).dueAt).toBe("2026-03-03T09:00:00.000Z");
  });

  test("without a time zone the rule stays on the due date's offset: a UTC Tuesday 02:00 stays Tuesday 02:00 UTC", () => {
    const next = nextOf({ recurrence: "FREQ=WEEKLY", dueAt: "2026-03-03T02:00:00Z" });
    expect(next.dueAt).toBe("2026-03-10T02:00:00.000Z");
  });

  test("with a time zone the due date is still written on the anchor's own offset", () => {
    const next = nextOf({ recurrence: "FREQ=WEEKLY;BYDAY=MO", dueAt: "2026-03-03T02:00:00Z", timeZone: "America/New_York" });
    expect(next.dueAt).toBe("2026-03-10T01:00:00.000Z");
  });

  test("UNTIL in UTC is compared on the zone's clock", () => {
    const rule = "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260310T010000Z";
    expect(nextOf({ recurrence: rule, dueAt: "2026-03-03T02:00:00Z", timeZone: "America/New_York" }).dueAt).toBe("2026-03-10T01:00:00.000Z");
    expect(
      nextOccurrence(completedTask({ recurrence: "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260310T005959Z", dueAt: "2026-03-03T02:00:00Z", timeZone: "America/New_York" })),
    ).toMatchObject({ next: null, reason: "until-passed" });
  });

  test("a time zone the runtime does not know is reported as invalid", () => {
    expect(nextOccurrence(completedTask({ recurrence: "FREQ=DAILY", timeZone: "Mars/Olympus_Mons" }))).toMatchObject({
      next: null,
      reason: "invalid-rule",
    });
  });

  test("a completed weekly task recurs on the anchor weekday, not the completion day", () => {
    const next = nextOf({ recurrence: "FREQ=WEEKLY;BYDAY=MO", dueAt: "2026-03-02T09:00:00Z", completedAt: "2026-03-04T17:00:00Z" });
    expect(new Date(next.dueAt).getUTCDay()).toBe(1);
    expect(instant(next.dueAt)).toBe(instant("2026-03-09T09:00:00Z"));
  });

  test("a task completed long after its due date gets the very next occurrence, nothing is skipped", () => {
    const next = nextOf({ recurrence: "FREQ=WEEKLY;BYDAY=MO", dueAt: "2020-01-06T09:00:00Z", completedAt: "2026-03-04T17:00:00Z" });
    expect(instant(next.dueAt)).toBe(instant("2020-01-13T09:00:00Z"));
    expect(next.occurrence).toBe(1);
  });
});

describe("nextOccurrence: the end of a series", () => {
  test("COUNT=3 allows occurrences 0, 1 and 2, then ends", () => {
    const rule = "FREQ=DAILY;COUNT=3";
    expect(nextOf({ recurrence: rule, occurrence: 0 }).occurrence).toBe(1);
    expect(nextOf({ recurrence: rule, occurrence: 1 }).occurrence).toBe(2);
    expect(nextOccurrence(completedTask({ recurrence: rule, occurrence: 2 }))).toMatchObject({ next: null, reason: "count-reached" });
  });

  test("UNTIL in UTC includes a date that falls exactly on it and ends the series after it", () => {
    const rule = "FREQ=DAILY;UNTIL=20260304T090000Z";
    expect(instant(nextOf({ recurrence: rule, dueAt: "2026-03-03T09:00:00Z" }).dueAt)).toBe(instant("2026-03-04T09:00:00Z"));
    expect(nextOccurrence(completedTask({ recurrence: rule, dueAt: "2026-03-04T09:00:00Z" }))).toMatchObject({
      next: null,
      reason: "until-passed",
    });
  });

  test("a date-only UNTIL includes that whole day on the series' clock", () => {
    const rule = "FREQ=DAILY;UNTIL=20260304";
    expect(nextOf({ recurrence: rule, dueAt: "2026-03-03T23:30:00+01:00" }).dueAt).toBe("2026-03-04T23:30:00.000+01:00");
    expect(nextOccurrence(completedTask({ recurrence: rule, dueAt: "2026-03-04T23:30:00+01:00" }))).toMatchObject({
      next: null,
      reason: "until-passed",
    });
  });

  test("a rule that never yields another date ends the series, and says so quickly", () => {
    const started = performance.now();
    // Every 7 days from a Monday never lands on a Tuesday.
    const result = nextOccurrence(completedTask({ recurrence: "FREQ=DAILY;INTERVAL=7;BYDAY=TU", dueAt: "2026-03-02T09:00:00Z" }));
    expect(result).toMatchObject({ next: null, reason: "no-more-dates" });
    // Unbounded, rrule walks day by day to the year 9999: several seconds.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test("a task without a rule has no next occurrence", () => {
    expect(nextOccurrence(completedTask({ recurrence: null }))).toMatchObject({ next: null, reason: "not-recurring" });
  });

  test("a rule without a series or a due date to anchor it has no next occurrence", () => {
    expect(nextOccurrence(completedTask({ recurrence: "FREQ=DAILY", seriesId: null, occurrence: null }))).toMatchObject({
      next: null,
      reason: "no-anchor",
    });
    expect(nextOccurrence(completedTask({ recurrence: "FREQ=DAILY", dueAt: null }))).toMatchObject({ next: null, reason: "no-anchor" });
  });

  test("a rule that cannot be read is reported as invalid", () => {
    expect(nextOccurrence(completedTask({ recurrence: "FREQ=DAILY;UNTIL=tomorrow" }))).toMatchObject({ next: null, reason: "invalid-rule" });
  });
});

describe("nextOccurrence: what the next task carries", () => {
  test("title, description, priority, tags, the rule, the owner and the series", () => {
    const next = nextOf({
      recurrence: "FREQ=WEEKLY;BYDAY=MO",
      title: "Water the plants",
      description: "the ones on the balcony too",
      priority: "low",
      tags: ["home", "garden"],
      userId: "user-42",
      occurrence: 4,
    });
    expect(next).toMatchObject({
      title: "Water the plants",
      description: "the ones on the balcony too",
      priority: "low",
      tags: ["home", "garden"],
      recurrence: "FREQ=WEEKLY;BYDAY=MO",
      userId: "user-42",
      seriesId: SERIES,
      occurrence: 5,
    });
  });

  test("a reminder 15 minutes before the due time stays 15 minutes before the new due time", () => {
    const next = nextOf({ recurrence: "FREQ=WEEKLY;BYDAY=MO", dueAt: "2026-03-02T09:00:00+01:00", remindAt: "2026-03-02T07:45:00Z" });
    expect(instant(next.dueAt)).toBe(instant("2026-03-09T09:00:00+01:00"));
    expect(instant(next.remindAt)).toBe(instant("2026-03-09T08:45:00+01:00"));
  });

  test("a reminder a day ahead keeps that distance across a short month", () => {
    const next = nextOf({ recurrence: "FREQ=MONTHLY;BYMONTHDAY=-1", dueAt: "2026-01-31T09:00:00Z", remindAt: "2026-01-30T09:00:00Z" });
    expect(instant(next.remindAt)).toBe(instant("2026-02-27T09:00:00Z"));
  });

  test("no reminder stays no reminder", () => {
    expect(nextOf({ recurrence: "FREQ=DAILY", remindAt: null }).remindAt).toBeNull();
  });
});
