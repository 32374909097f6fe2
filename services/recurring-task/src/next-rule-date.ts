import { RRule, type Options } from "rrule";

/** 400 Gregorian years: leap years repeat, and 146 097 days is a whole number of weeks, so weekdays repeat too. */
const GREGORIAN_CYCLE_MS = 146_097 * 86_400_000;
/** rrule gives up after year 9999; starting the search no later than this leaves at least a century to search. */
const LATEST_SEARCH_YEAR = 9899;
const CYCLE_YEARS = 400;

/**
 * The first date of the rule strictly after `wallAnchor`, with the rule's
 * series starting at `wallAnchor`; both in floating wall-clock time. Null
 * when there is none within the search horizon (at least 100 years).
 *
 * Why the shift: rrule walks period by period until it finds a match or
 * reaches year 9999, so a rule that never matches again (FREQ=DAILY;
 * INTERVAL=7;BYDAY=TU from a Monday, BYMONTH=2;BYMONTHDAY=30) costs seconds of
 * CPU from today's date, in a process that also serves requests. We move the
 * anchor by whole 400-year cycles, where the calendar is identical, to 100-500
 * years before 9999, search there, and move the answer back.
 */
export function nextRuleDate(rule: Partial<Options>, wallAnchor: Date): Date | null {
  const cycles = Math.max(0, Math.floor((LATEST_SEARCH_YEAR - wallAnchor.getUTCFullYear()) / CYCLE_YEARS));
  const shiftMs = cycles * GREGORIAN_CYCLE_MS;
  const start = new Date(wallAnchor.getTime() + shiftMs);
  const next = new RRule({ ...rule, dtstart: start, tzid: null, count: null, until: null }).after(start, false);
  return next === null ? null : new Date(next.getTime() - shiftMs);
}
