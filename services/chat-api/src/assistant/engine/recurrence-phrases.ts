import { instantAt, wallClock } from "./zone-time.ts";

/** A recurrence phrase turned into an RRULE, plus the words to cut out of a title. */
export interface FoundRecurrence {
  rule: string;
  texts: string[];
  /** Weekdays (0 = Sunday) or day of month the series falls on: used to pick the anchor. */
  byWeekday?: number[];
  byMonthDay?: number;
}

const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const CODES = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];
const DAY = "(sun|mon|tue|tues|wed|thu|thur|thurs|fri|sat)(?:day|nesday|sday|urday|rsday)?s?\\b";
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

function dayIndex(word: string): number {
  return DAYS.findIndex((day) => day.startsWith(word.toLowerCase().slice(0, 3)));
}

export function findRecurrence(text: string, now: Date, timeZone: string): FoundRecurrence | undefined {
  const lower = text.toLowerCase();
  let match: RegExpExecArray | null;
  let parts: string[] = [];
  let phrase = "";
  let byWeekday: number[] | undefined;
  let byMonthDay: number | undefined;

  if ((match = /\b(?:on )?the (\d{1,2})(?:st|nd|rd|th)? (?:day )?of every month\b/.exec(lower))) {
    byMonthDay = Number(match[1]);
    parts = ["FREQ=MONTHLY", `BYMONTHDAY=${byMonthDay}`];
    phrase = match[0];
  } else if ((match = /\bevery (?:week ?day|weekday)s?\b/.exec(lower)) || (match = /\bon weekdays\b/.exec(lower))) {
    byWeekday = [1, 2, 3, 4, 5];
    parts = ["FREQ=WEEKLY", "BYDAY=MO,TU,WE,TH,FR"];
    phrase = match[0];
  } else if ((match = /\bevery weekend\b/.exec(lower))) {
    byWeekday = [6, 0];
    parts = ["FREQ=WEEKLY", "BYDAY=SA,SU"];
    phrase = match[0];
  } else if ((match = new RegExp(`\\bevery (\\d+|other) weeks?(?: on (${DAY}(?:(?:,| and| &) ${DAY})*))?`).exec(lower))) {
    const interval = match[1] === "other" ? 2 : Number(match[1]);
    parts = ["FREQ=WEEKLY", ...(interval > 1 ? [`INTERVAL=${interval}`] : [])];
    if (match[2]) {
      byWeekday = [...match[2].matchAll(new RegExp(DAY, "g"))].map((day) => dayIndex(day[1]!));
      parts.push(`BYDAY=${byWeekday.map((day) => CODES[day]).join(",")}`);
    }
    phrase = match[0];
  } else if ((match = new RegExp(`\\b(?:every|each|on) (${DAY}(?:(?:,| and| &) ${DAY})*)`).exec(lower)) && /every|each|s\b/.test(match[0])) {
    byWeekday = [...match[1]!.matchAll(new RegExp(DAY, "g"))].map((day) => dayIndex(day[1]!));
    parts = ["FREQ=WEEKLY", `BYDAY=${byWeekday.map((day) => CODES[day]).join(",")}`];
    phrase = match[0];
  } else if ((match = /\bevery (\d+|other) (hour|day|week|month|year)s?\b/.exec(lower))) {
    const interval = match[1] === "other" ? 2 : Number(match[1]);
    parts = [`FREQ=${frequency(match[2]!)}`, ...(interval > 1 ? [`INTERVAL=${interval}`] : [])];
    phrase = match[0];
  } else if ((match = /\b(?:every|each) (hour|day|week|month|year)\b|\b(hourly|daily|weekly|monthly|yearly|annually)\b/.exec(lower))) {
    parts = [`FREQ=${frequency(match[1] ?? match[2]!)}`];
    phrase = match[0];
  } else {
    return undefined;
  }

  const rest = lower.replace(phrase, " ");
  const texts = [phrase];
  if ((match = /\bfor (\d+) (?:times|occurrences|days|weeks|months|years)\b|\b(\d+) times\b/.exec(rest))) {
    parts.push(`COUNT=${match[1] ?? match[2]}`);
    texts.push(match[0]);
  } else if ((match = new RegExp(`\\buntil (?:the end of )?(${MONTHS.join("|")})(?: (\\d{1,2}))?(?: (\\d{4}))?\\b`).exec(rest))) {
    parts.push(`UNTIL=${untilOf(match, now, timeZone)}`);
    texts.push(match[0]);
  }
  return { rule: parts.join(";"), texts, byWeekday, byMonthDay };
}

function frequency(word: string): string {
  if (word.startsWith("hour")) return "HOURLY";
  if (word.startsWith("day") || word === "daily") return "DAILY";
  if (word.startsWith("week")) return "WEEKLY";
  if (word.startsWith("month")) return "MONTHLY";
  return "YEARLY";
}

/** "until June" means through the end of that month (or that day when one is named), in the user's zone. */
function untilOf(match: RegExpExecArray, now: Date, timeZone: string): string {
  const clock = wallClock(now, timeZone);
  const month = MONTHS.indexOf(match[1]!) + 1;
  const year = match[3] ? Number(match[3]) : month >= clock.month ? clock.year : clock.year + 1;
  const end = match[2]
    ? instantAt(timeZone, year, month, Number(match[2]), 23, 59)
    : new Date(instantAt(timeZone, year, month + 1, 1, 0, 0).getTime() - 60_000);
  return end.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/**
 * The first occurrence after now, used as the series anchor (dueAt) when the
 * message named no date: the first matching weekday or day of month at the
 * given time (09:00 by default).
 */
export function firstOccurrence(found: FoundRecurrence, now: Date, timeZone: string, hour = 9, minute = 0): string {
  const clock = wallClock(now, timeZone);
  for (let offset = 0; offset < 400; offset++) {
    const candidate = instantAt(timeZone, clock.year, clock.month, clock.day + offset, hour, minute);
    if (candidate <= now) continue;
    const local = wallClock(candidate, timeZone);
    if (found.byWeekday && !found.byWeekday.includes(local.weekday)) continue;
    if (found.byMonthDay && local.day !== found.byMonthDay) continue;
    return candidate.toISOString();
  }
  return now.toISOString();
}
