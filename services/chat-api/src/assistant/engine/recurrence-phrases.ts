import * as chrono from "chrono-node";
import { RRule } from "rrule";
import { instantAt, wallClock, zoneOffsetMinutes } from "./zone-time.ts";

/** A recurrence phrase turned into an RRULE, plus the words to cut out of a title. */
export interface FoundRecurrence {
  rule: string;
  texts: string[];
  /** [start, end) of each phrase in the text searched. */
  spans: [number, number][];
  /** Weekdays (0 = Sunday) or day of month the series falls on: used to pick the anchor. */
  byWeekday?: number[];
  byMonthDay?: number;
  /** Set when the phrase itself names the hour ("every morning", "every night"). */
  hour?: number;
}

const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const CODES = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];
const DAY = "(sun|mon|tue|tues|wed|thu|thur|thurs|fri|sat)(?:day|nesday|sday|urday|rsday)?s?\\b";
const DAY_LIST = `${DAY}(?:(?:,|,? and|,? &| ,|\\/|\\s)\\s*${DAY})*`;
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MONTH = "(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*";
const ORDINALS: Record<string, number> = { first: 1, "1st": 1, second: 2, "2nd": 2, third: 3, "3rd": 3, fourth: 4, "4th": 4, last: -1 };
const PARTS: Record<string, number> = { morning: 9, afternoon: 14, evening: 18, night: 21 };

function dayIndex(word: string): number {
  return DAYS.findIndex((day) => day.startsWith(word.toLowerCase().slice(0, 3)));
}

function daysIn(text: string): number[] {
  return [...new Set([...text.matchAll(new RegExp(DAY, "g"))].map((day) => dayIndex(day[1]!)))];
}

interface Shape {
  parts: string[];
  byWeekday?: number[];
  byMonthDay?: number;
  hour?: number;
}

/** Each phrase, most specific first, and the rule it means. */
const PHRASES: [RegExp, (match: RegExpExecArray) => Shape][] = [
  [new RegExp(`\\b(?:every |each |on )?(?:the )?(first|1st|second|2nd|third|3rd|fourth|4th|last) ${DAY} of (?:every|each|the) month\\b`), (m) => {
    const day = dayIndex(m[2]!);
    return { parts: ["FREQ=MONTHLY", `BYDAY=${ORDINALS[m[1]!]}${CODES[day]}`], byWeekday: [day] };
  }],
  [/\b(?:on )?the (\d{1,2}|last)(?:st|nd|rd|th)? (?:day )?of (?:every|each) month\b|\b(?:every|each) month on the (\d{1,2})(?:st|nd|rd|th)?\b|\bmonthly on the (\d{1,2})(?:st|nd|rd|th)?\b|\bevery (\d{1,2})(?:st|nd|rd|th)\b(?! (?:of|day|week|month|hour))/, (m) => {
    const day = m[1] === "last" ? -1 : Number(m[1] ?? m[2] ?? m[3] ?? m[4]);
    return { parts: ["FREQ=MONTHLY", `BYMONTHDAY=${day}`], byMonthDay: day };
  }],
  [new RegExp(`\\b(?:every|each) year on ${MONTH} (\\d{1,2})(?:st|nd|rd|th)?\\b|\\b(?:every|each) year on (\\d{1,2})(?:st|nd|rd|th)? (?:of )?${MONTH}\\b|\\b(?:every|each) ${MONTH} (\\d{1,2})(?:st|nd|rd|th)?\\b`), (m) => {
    const month = monthIndex(m[1] ?? m[4] ?? m[5]!);
    const day = Number(m[2] ?? m[3] ?? m[6]);
    return { parts: ["FREQ=YEARLY", `BYMONTH=${month}`, `BYMONTHDAY=${day}`], byMonthDay: day };
  }],
  [/\bevery (?:week ?day|weekday)s?\b|\bon weekdays\b|\bweekdays\b/, () => ({ parts: ["FREQ=WEEKLY", "BYDAY=MO,TU,WE,TH,FR"], byWeekday: [1, 2, 3, 4, 5] })],
  [/\bevery weekend\b|\bweekends\b/, () => ({ parts: ["FREQ=WEEKLY", "BYDAY=SA,SU"], byWeekday: [6, 0] })],
  [new RegExp(`\\b(?:every (\\d+|other) weeks?|biweekly|bi-weekly|fortnightly|every fortnight)(?: on (${DAY_LIST}))?`), (m) => {
    const interval = m[1] === undefined || m[1] === "other" ? 2 : Number(m[1]);
    const shape: Shape = { parts: ["FREQ=WEEKLY", ...(interval > 1 ? [`INTERVAL=${interval}`] : [])] };
    if (m[2]) withDays(shape, daysIn(m[2]));
    return shape;
  }],
  [new RegExp(`\\bevery other (${DAY_LIST})`), (m) => withDays({ parts: ["FREQ=WEEKLY", "INTERVAL=2"] }, daysIn(m[1]!))],
  [new RegExp(`\\b(?:every|each) (${DAY_LIST})(?: (morning|afternoon|evening|night))?`), (m) => ({ ...withDays({ parts: ["FREQ=WEEKLY"] }, daysIn(m[1]!)), hour: m.at(-1) ? PARTS[m.at(-1)!] : undefined })],
  [new RegExp(`\\b(?:on )?(sundays|mondays|tuesdays|wednesdays|thursdays|fridays|saturdays)\\b`), (m) => withDays({ parts: ["FREQ=WEEKLY"] }, daysIn(m[1]!))],
  // "gym mon wed fri": several weekdays are a weekly schedule
  [new RegExp(`\\b(?:on )?(${DAY}(?:(?:,|,? and|,? &| ,|\\/|\\s)\\s*${DAY})+)`), (m) => withDays({ parts: ["FREQ=WEEKLY"] }, daysIn(m[1]!))],
  [/\bevery (\d+|other|second|2nd|third|3rd) (hour|day|week|month|year)s?\b/, (m) => {
    const interval = m[1] === "other" || m[1] === "second" || m[1] === "2nd" ? 2 : m[1] === "third" || m[1] === "3rd" ? 3 : Number(m[1]);
    return { parts: [`FREQ=${frequency(m[2]!)}`, ...(interval > 1 ? [`INTERVAL=${interval}`] : [])] };
  }],
  [/\b(?:every|each) (morning|afternoon|evening|night)\b|\b(nightly)\b/, (m) => ({ parts: ["FREQ=DAILY"], hour: PARTS[m[1] ?? "night"] })],
  // "the weekly report" names a report, not a recurrence
  [/\b(?:every|each) (hour|day|week|month|year)\b|(?<!\b(?:the|a|an|my|our|your|his|her|their|this|that) )\b(hourly|daily|weekly|monthly|yearly|annually)\b/, (m) => ({ parts: [`FREQ=${frequency(m[1] ?? m[2]!)}`] })],
];

function withDays(shape: Shape, days: number[]): Shape {
  shape.byWeekday = days;
  shape.parts.push(`BYDAY=${days.map((day) => CODES[day]).join(",")}`);
  return shape;
}

function monthIndex(word: string): number {
  return MONTHS.findIndex((month) => month.startsWith(word.toLowerCase().slice(0, 3))) + 1;
}

export function findRecurrence(text: string, now: Date, timeZone: string): FoundRecurrence | undefined {
  const lower = text.toLowerCase();
  let found: { match: RegExpExecArray; shape: Shape } | undefined;
  for (const [pattern, shape] of PHRASES) {
    const match = pattern.exec(lower);
    if (match) {
      found = { match, shape: shape(match) };
      break;
    }
  }
  if (!found) return undefined;
  const { match, shape } = found;
  const spans: [number, number][] = [[match.index, match.index + match[0].length]];
  const rest = lower.slice(0, match.index) + " ".repeat(match[0].length) + lower.slice(match.index + match[0].length);
  const parts = [...shape.parts];
  const end = findEnd(rest, shape, now, timeZone);
  if (end) {
    parts.push(end.part);
    spans.push(end.span);
  }
  return {
    rule: parts.join(";"),
    texts: spans.map(([start, stop]) => text.slice(start, stop)),
    spans,
    byWeekday: shape.byWeekday,
    byMonthDay: shape.byMonthDay,
    hour: shape.hour,
  };
}

/** "for 10 days", "for the next 8 weeks", "3 times", "until June 15", "until end of january". */
function findEnd(rest: string, shape: Shape, now: Date, timeZone: string): { part: string; span: [number, number] } | undefined {
  let match: RegExpExecArray | null;
  if ((match = /\b(?:for (?:the next |the )?(\d+|a|an|one) (times?|occurrences?|hours?|days?|weeks?|months?|years?)|(?:repeat )?(\d+) times)\b/.exec(rest))) {
    const amount = /^\d+$/.test(match[1] ?? "") ? Number(match[1]) : 1;
    const unit = match[2]?.endsWith("s") ? match[2] : `${match[2]}s`;
    const count = match[3] ? Number(match[3]) : countOf(amount, unit, shape);
    return { part: `COUNT=${count}`, span: [match.index, match.index + match[0].length] };
  }
  if ((match = new RegExp(`\\buntil (?:the )?end of ${MONTH}\\b(?: (\\d{4}))?`).exec(rest)) || (match = new RegExp(`\\buntil ${MONTH}\\b(?! \\d)(?: (\\d{4}))?`).exec(rest))) {
    const clock = wallClock(now, timeZone);
    const month = monthIndex(match[1]!);
    const year = match[2] ? Number(match[2]) : month >= clock.month ? clock.year : clock.year + 1;
    const last = new Date(instantAt(timeZone, year, month + 1, 1, 0, 0).getTime() - 60_000);
    return { part: `UNTIL=${stamp(last)}`, span: [match.index, match.index + match[0].length] };
  }
  if ((match = /\b(?:until|till|til|through) (.+)$/.exec(rest))) {
    const reference = { instant: now, timezone: zoneOffsetMinutes(timeZone, now) };
    const [date] = chrono.parse(match[1]!, reference, { forwardDate: true });
    if (date && date.index === 0) {
      const until = instantAt(timeZone, date.start.get("year")!, date.start.get("month")!, date.start.get("day")!, 23, 59);
      const start = match.index;
      return { part: `UNTIL=${stamp(until)}`, span: [start, start + match[0].length - match[1]!.length + date.text.length] };
    }
  }
  return undefined;
}

const HOURS: Record<string, number> = { hours: 1, days: 24, weeks: 24 * 7 };
const DAYS_PER: Record<string, number> = { days: 1, weeks: 7, months: 30, years: 365 };

/** How many occurrences "for N <unit>" holds, for the rule's frequency. */
function countOf(amount: number, unit: string, shape: Shape): number {
  const freq = shape.parts[0]!.slice(5);
  const interval = Number(shape.parts.find((part) => part.startsWith("INTERVAL="))?.slice(9) ?? 1);
  const perWeek = shape.byWeekday?.length ?? 1;
  if (unit === "times" || unit === "occurrences") return amount;
  if (freq === "HOURLY" && HOURS[unit]) return Math.max(1, Math.round((amount * HOURS[unit]!) / interval));
  if (freq === "DAILY" && DAYS_PER[unit]) return Math.max(1, Math.round((amount * DAYS_PER[unit]!) / interval));
  if (freq === "WEEKLY" && (unit === "weeks" || unit === "months")) return Math.max(1, Math.round(((unit === "months" ? amount * 4 : amount) * perWeek) / interval));
  return amount;
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function frequency(word: string): string {
  if (word.startsWith("hour")) return "HOURLY";
  if (word.startsWith("day") || word === "daily") return "DAILY";
  if (word.startsWith("week")) return "WEEKLY";
  if (word.startsWith("month")) return "MONTHLY";
  return "YEARLY";
}

/**
 * The first occurrence after now, used as the series anchor (dueAt) when the
 * message named no date: the rule's first date at the given time (09:00 by
 * default), counted on the user's wall clock.
 */
export function firstOccurrence(found: Pick<FoundRecurrence, "rule">, now: Date, timeZone: string, hour = 9, minute = 0): string {
  const clock = wallClock(now, timeZone);
  // rrule counts in UTC; the wall clock is written as if it were UTC and read back in the zone.
  const floating = (date: Date) => instantAt(timeZone, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes());
  // The anchor is the first date that fits the rule's days; the series counts its interval from there.
  const options = RRule.parseString(found.rule.replace(/;?(?:COUNT|UNTIL|INTERVAL)=[^;]*/g, ""));
  const rule = new RRule({ ...options, dtstart: new Date(Date.UTC(clock.year, clock.month - 1, clock.day, hour, minute)) });
  const floatingNow = new Date(Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute));
  const next = rule.after(floatingNow, false);
  return (next ? floating(next) : now).toISOString();
}
