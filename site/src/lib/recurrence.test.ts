import { describe, expect, test } from "bun:test";
import { DEFAULT_FORM, describeRRule, fromRRule, toRRule, type RecurrenceForm } from "./recurrence.ts";

const form = (changes: Partial<RecurrenceForm>): RecurrenceForm => ({ ...DEFAULT_FORM, ...changes });

describe("recurrence form -> RRULE", () => {
  test.each<[string, Partial<RecurrenceForm>, string]>([
    ["daily", { frequency: "DAILY" }, "FREQ=DAILY"],
    ["every 3 days", { frequency: "DAILY", interval: 3 }, "FREQ=DAILY;INTERVAL=3"],
    ["weekly on the due date's weekday", { frequency: "WEEKLY" }, "FREQ=WEEKLY"],
    ["weekly on days, in week order whatever the click order", { weekdays: ["FR", "MO", "WE"] }, "FREQ=WEEKLY;BYDAY=MO,WE,FR"],
    ["every 2 weeks on Tuesday, 10 times", { interval: 2, weekdays: ["TU"], end: { kind: "after", count: 10 } }, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=10"],
    ["monthly on the 1st", { frequency: "MONTHLY", monthDay: 1 }, "FREQ=MONTHLY;BYMONTHDAY=1"],
    ["yearly until a date", { frequency: "YEARLY", end: { kind: "on", date: "2030-12-31" } }, "FREQ=YEARLY;UNTIL=20301231"],
  ])("%s", (_name, changes, rule) => {
    expect(toRRule(form(changes))).toBe(rule);
  });

  test("weekdays and a month day only count for their own frequency", () => {
    expect(toRRule(form({ frequency: "DAILY", weekdays: ["MO"], monthDay: 4 }))).toBe("FREQ=DAILY");
  });

  test("numbers out of range are clamped to what the API accepts", () => {
    expect(toRRule(form({ interval: 0, end: { kind: "after", count: -4 } }))).toBe("FREQ=WEEKLY;COUNT=1");
    expect(toRRule(form({ frequency: "MONTHLY", monthDay: 45, interval: Number.NaN }))).toBe("FREQ=MONTHLY;BYMONTHDAY=31");
  });

  test("an end date that is not a date yet leaves the series open", () => {
    expect(toRRule(form({ end: { kind: "on", date: "" } }))).toBe("FREQ=WEEKLY");
  });
});

describe("RRULE -> recurrence form", () => {
  test("reads what the API stores (its canonical form, UNTIL with a time)", () => {
    expect(fromRRule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;UNTIL=20301231T235959Z")).toEqual({
      frequency: "WEEKLY",
      interval: 2,
      weekdays: ["MO", "FR"],
      monthDay: null,
      end: { kind: "on", date: "2030-12-31" },
    });
    expect(fromRRule("RRULE:FREQ=MONTHLY;BYMONTHDAY=15;COUNT=6")).toEqual(
      form({ frequency: "MONTHLY", monthDay: 15, end: { kind: "after", count: 6 } }),
    );
  });

  test.each(["FREQ=DAILY", "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,TH;COUNT=4", "FREQ=MONTHLY;BYMONTHDAY=31;UNTIL=20310101", "FREQ=YEARLY;INTERVAL=2"])(
    "%s survives a round trip through the form",
    (rule) => {
      expect(toRRule(fromRRule(rule)!)).toBe(rule);
    },
  );

  test.each([
    ["an hourly rule", "FREQ=HOURLY"],
    ["an ordinal weekday", "FREQ=MONTHLY;BYDAY=1MO"],
    ["a set position", "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-1"],
    ["no frequency", "INTERVAL=2"],
    ["weekdays on a daily rule", "FREQ=DAILY;BYDAY=MO"],
  ])("%s is not something the form can show", (_name, rule) => {
    expect(fromRRule(rule)).toBeUndefined();
  });
});

describe("recurring badge text", () => {
  test.each([
    ["FREQ=DAILY", "Daily"],
    ["FREQ=WEEKLY;BYDAY=MO,WE", "Every week on Mon, Wed"],
    ["FREQ=WEEKLY;INTERVAL=2;COUNT=5", "Every 2 weeks, 5 times"],
    ["FREQ=MONTHLY;BYMONTHDAY=1", "Every month on day 1"],
    ["FREQ=YEARLY;UNTIL=20301231T235959Z", "Every year, until 2030-12-31"],
    ["FREQ=HOURLY;INTERVAL=6", "FREQ=HOURLY;INTERVAL=6"],
  ])("%s reads %s", (rule, text) => {
    expect(describeRRule(rule)).toBe(text);
  });
});
