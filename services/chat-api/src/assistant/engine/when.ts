import * as chrono from "chrono-node";
import { instantAt, wallClock, zoneOffsetMinutes } from "./zone-time.ts";

/**
 * Date and time phrases anywhere in a (rewritten, see lexicon.ts) message.
 * chrono-node reads the calendar words; we decide the hour, because people
 * leave out am/pm and name parts of the day:
 *   morning 09:00, noon 12:00, afternoon 14:00, evening 18:00,
 *   night / tonight 21:00, midnight 00:00;
 *   a bare hour (at 5, 5 baje) is pm from 1 to 6, am from 7 to 11, unless a
 *   part of the day says otherwise ("night at 10" is 22:00);
 *   a day without a time is 09:00, or 21:00 for today once 09:00 has passed;
 *   "next week" is next Monday, "the 20th" the next 20th.
 */
export interface FoundWhen {
  iso: string;
  /** Spans [start, end) of the words that said it. */
  spans: [number, number][];
  hasDay: boolean;
  hasTime: boolean;
  /** An offset from now ("in 2 hours"), not a calendar time. */
  relative: boolean;
  /** Wall-clock pieces, for edits that keep the task's day or time. */
  day?: { year: number; month: number; day: number };
  time?: { hour: number; minute: number };
  /** "next week": a reschedule moves by seven days. */
  nextWeek?: boolean;
}

/** Things done in the evening: "dinner at 8" is 20:00. */
const EVENING_THINGS = /\b(?:dinner|supper|party|drinks|movie|concert|iftar|date night)\b/i;

const PARTS: Record<string, number> = { morning: 9, noon: 12, afternoon: 14, evening: 18, night: 21, tonight: 21, midnight: 0 };

/** `part`: a part of the day said elsewhere ("every night" at 10), which decides am/pm. */
export function findWhen(text: string, now: Date, timeZone: string, part?: string): FoundWhen | undefined {
  const spans: [number, number][] = [];
  let blanked = text;
  const blank = (start: number, end: number) => {
    spans.push([start, end]);
    blanked = blanked.slice(0, start) + " ".repeat(end - start) + blanked.slice(end);
  };
  const clock = wallClock(now, timeZone);
  let day: FoundWhen["day"];
  let nextWeek = false;

  const dayPart = findDayPart(text, blanked);
  const partName = dayPart?.[1]!.toLowerCase() ?? part;
  if (dayPart) blank(dayPart.index, dayPart.index + dayPart[0].length);
  if (partName === "tonight" || (dayPart && /^this /i.test(dayPart[0]))) day = { year: clock.year, month: clock.month, day: clock.day };

  let match: RegExpExecArray | null;
  if ((match = /\b(?:by |in |on )?next week\b/i.exec(blanked))) {
    const toMonday = ((8 - clock.weekday) % 7) || 7;
    day = { year: clock.year, month: clock.month, day: clock.day + toMonday };
    nextWeek = true;
    blank(match.index, match.index + match[0].length);
  } else if ((match = /\b(?:on |by )?the (\d{1,2})(?:st|nd|rd|th)? of next month\b/i.exec(blanked))) {
    day = { year: clock.year, month: clock.month + 1, day: Number(match[1]) };
    blank(match.index, match.index + match[0].length);
  } else if ((match = /\b(?:on|by|before|until|till|due|for) the (\d{1,2})(?:st|nd|rd|th)\b(?! of)/i.exec(blanked))) {
    const wanted = Number(match[1]);
    if (wanted >= 1 && wanted <= 31) {
      const month = wanted > clock.day ? clock.month : clock.month + 1;
      day = { year: clock.year, month, day: wanted };
      blank(match.index, match.index + match[0].length);
    }
  }

  let time: FoundWhen["time"];
  let relative = false;
  let exact: Date | undefined;
  const reference = { instant: now, timezone: zoneOffsetMinutes(timeZone, now) };
  for (const found of chrono.parse(blanked, reference, { forwardDate: true })) {
    if (!plausible(found.text, blanked, found.index)) continue;
    const start = found.start;
    const isRelative = /^(?:in|within)\b|\b(?:later|from now|baad)\b/i.test(found.text);
    const givesDay = start.isCertain("day") || start.isCertain("weekday") || isRelative;
    const givesTime = start.isCertain("hour");
    if ((givesDay && day) || (givesTime && time) || (!givesDay && !givesTime)) continue;
    spans.push([found.index, found.index + found.text.length]);
    if (isRelative && givesTime) {
      exact = start.date();
      relative = true;
      continue;
    }
    if (givesDay) day = { year: start.get("year")!, month: start.get("month")!, day: start.get("day")! };
    if (givesTime) {
      let hour = start.get("hour")!;
      const minute = start.get("minute") ?? 0;
      if (!start.isCertain("meridiem")) hour = guessHour(hour, partName ?? (EVENING_THINGS.test(text) ? "evening" : undefined), found.text);
      time = { hour, minute };
    }
  }
  if (exact) {
    const local = wallClock(exact, timeZone);
    return { iso: exact.toISOString(), spans, hasDay: true, hasTime: true, relative, day: { year: local.year, month: local.month, day: local.day }, time: { hour: local.hour, minute: local.minute } };
  }
  if (!time && dayPart) time = { hour: PARTS[partName!]!, minute: 0 };
  if (!day && !time) return undefined;
  const hasTime = time !== undefined;
  if (!day) {
    // A time alone is its next occurrence.
    const today = instantAt(timeZone, clock.year, clock.month, clock.day, time!.hour, time!.minute);
    const date = today > now ? today : instantAt(timeZone, clock.year, clock.month, clock.day + 1, time!.hour, time!.minute);
    const local = wallClock(date, timeZone);
    return { iso: date.toISOString(), spans, hasDay: false, hasTime, relative, day: { year: local.year, month: local.month, day: local.day }, time };
  }
  let at = time ?? { hour: 9, minute: 0 };
  let date = instantAt(timeZone, day.year, day.month, day.day, at.hour, at.minute);
  if (!time && date <= now) {
    at = { hour: 21, minute: 0 };
    date = instantAt(timeZone, day.year, day.month, day.day, 21, 0);
    if (date <= now) date = new Date(Math.max(now.getTime(), instantAt(timeZone, day.year, day.month, day.day, 23, 59).getTime()));
  }
  return { iso: date.toISOString(), spans, hasDay: true, hasTime, relative, day, time: hasTime ? at : undefined, nextWeek };
}

const DATE_WORD = /(?:^|\b(?:this|in the|at|on|by|every|each|day|today|tomorrow|next|until|till|and|or|\d+(?::\d+)?\s*(?:am|pm)?|sunday|monday|tuesday|wednesday|thursday|friday|saturday|sun|mon|tue|wed|thu|fri|sat|week|weekend))\s*$/i;

/**
 * "tomorrow night", "sunday morning", "this evening", "tonight": a part of the
 * day next to a date word (or opening the message); "movie night" is a title.
 */
function findDayPart(text: string, blanked: string): RegExpExecArray | null {
  for (const match of blanked.matchAll(/\b(?:this |in the |at )?(morning|noon|afternoon|evening|tonight|night|midnight)\b/gi)) {
    if (match[1]!.toLowerCase() === "tonight" || match[0].length > match[1]!.length || DATE_WORD.test(text.slice(0, match.index!))) return match as RegExpExecArray;
  }
  return null;
}

/** 1-6 without am/pm is afternoon, 7-11 morning; a part of the day decides first. */
function guessHour(hour: number, part: string | undefined, text: string): number {
  // "17:00", "09:30": a 24-hour clock says what it means.
  if (hour === 0 || hour > 12 || /\b0\d:\d{2}/.test(text)) return hour;
  const base = hour % 12;
  if (part === "morning") return base;
  if (part === "afternoon" || part === "evening" || part === "night" || part === "tonight") return base + 12;
  if (hour === 12) return 12;
  return hour >= 1 && hour <= 6 ? hour + 12 : hour;
}

/** chrono reads too much into numbers: "1:1", a phone number, "30 min" without "in". */
function plausible(found: string, text: string, index: number): boolean {
  if (/^\d+:\d$/.test(found.trim()) || /^\d:\d\b/.test(found.trim())) return false;
  const around = text.slice(Math.max(0, index - 1), index + found.length + 1);
  if (/\d-\d|\d{5,}/.test(around)) return false;
  if (/^\d+\s*(?:minutes?|mins?|hours?|hrs?|h|days?|weeks?)\b/i.test(found.trim())) return false;
  if (/^\d{1,2}$/.test(found.trim()) || /^(?:a|one) (?:day|week)$/i.test(found.trim())) return false;
  return true;
}
