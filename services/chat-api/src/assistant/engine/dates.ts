import * as chrono from "chrono-node";
import { instantAt, zoneOffsetMinutes } from "./zone-time.ts";

export interface FoundDate {
  iso: string;
  /** The words that said it, to be cut out of a title. */
  text: string;
  /** Whether the phrase named a time of day (otherwise the engine picks 09:00). */
  hasTime: boolean;
}

/** The first date/time phrase of the text, read in the user's zone and always in the future. */
export function findDate(text: string, now: Date, timeZone: string): FoundDate | undefined {
  const reference = { instant: now, timezone: zoneOffsetMinutes(timeZone, now) };
  const [found] = chrono.parse(text, reference, { forwardDate: true });
  if (!found) return undefined;
  const hasTime = found.start.isCertain("hour");
  const start = found.start;
  // A day without a time means 09:00 that day in the user's zone.
  const date = hasTime
    ? start.date()
    : instantAt(timeZone, start.get("year") ?? 1970, start.get("month") ?? 1, start.get("day") ?? 1, 9, 0);
  return { iso: date.toISOString(), text: found.text, hasTime };
}
