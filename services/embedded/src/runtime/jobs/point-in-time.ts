import { parseGoDuration } from "./go-duration.ts";
import { addIsoDuration, parseIsoDuration } from "./iso-duration.ts";

/**
 * The Scheduler reads dueTime and ttl in this order: an RFC3339 timestamp, a Go
 * duration from `from`, then a non-repeating ISO-8601 duration from `from`.
 * Returns whole epoch milliseconds (rounded up: never before the instant asked
 * for), or undefined when no form matches.
 */
export function parsePointInTime(text: string, from: number): number | undefined {
  const instant = parseRfc3339(text);
  if (instant !== undefined) return instant;
  const duration = parseGoDuration(text);
  if (duration !== undefined) return Math.ceil(from) + Math.ceil(duration);
  const iso = parseIsoDuration(text);
  if (iso !== undefined) return Math.ceil(addIsoDuration(from, iso));
  return undefined;
}

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Go's time.Parse(time.RFC3339, …): fractional seconds optional, "Z" or a
 * ±hh:mm offset required. Sub-millisecond fractions round up, so a job is
 * never triggered before the instant that was asked for.
 */
export function parseRfc3339(text: string): number | undefined {
  const match = rfc3339.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone = "Z"] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== "Z") {
    const offsetHours = Number(zone.slice(1, 3));
    const offsetMins = Number(zone.slice(4, 6));
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (zone.startsWith("-") ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const wholeSeconds = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC maps years 0-99 to 1900-1999; set the year explicitly.
  const date = new Date(wholeSeconds);
  date.setUTCFullYear(year);
  const fractionMs = fraction ? fractionToMs(fraction.slice(1)) : 0;
  return date.getTime() + fractionMs - offsetMinutes * 60_000;
}

/** Fraction digits of a second as whole ms, rounded up (decimal, to stay exact). */
function fractionToMs(digits: string): number {
  const padded = digits.padEnd(3, "0");
  const ms = Number(padded.slice(0, 3));
  return /[1-9]/.test(padded.slice(3)) ? ms + 1 : ms;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  // Day 0 of the next month is the last day of this one (2001 is not a leap year).
  return new Date(Date.UTC(2001, month, 0)).getUTCDate();
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
