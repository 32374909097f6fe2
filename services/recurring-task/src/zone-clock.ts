import { fromWallClock, toWallClock } from "./fixed-offset.ts";

/**
 * The clock a series' rule is evaluated on: instants to floating wall-clock
 * time (a Date whose UTC fields read the local time) and back.
 */
export interface WallClockZone {
  toWall(epochMs: number): Date;
  fromWall(wall: Date): number;
}

/** A fixed UTC offset: the wall time drifts by an hour across a daylight-saving change. */
export function offsetZone(offsetMinutes: number): WallClockZone {
  return {
    toWall: (epochMs) => toWallClock(epochMs, offsetMinutes),
    fromWall: (wall) => fromWallClock(wall, offsetMinutes),
  };
}

/**
 * An IANA time zone (DST-aware): 21:00 local stays 21:00 local across a
 * daylight-saving change. Undefined when the runtime does not know the zone.
 *
 * A wall time that occurs twice (the hour repeated when clocks go back) is its
 * first occurrence; one that does not exist (skipped when clocks go forward)
 * is read on the offset before the change, so it lands that much later, as
 * RFC 5545 says.
 */
export function ianaZone(timeZone: string): WallClockZone | undefined {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch {
    return undefined;
  }
  const offsetAt = (epochMs: number) => offsetMinutesAt(format, epochMs);
  return {
    toWall: (epochMs) => toWallClock(epochMs, offsetAt(epochMs)),
    fromWall(wall) {
      const wallMs = wall.getTime();
      const firstOffset = offsetAt(wallMs);
      const guess = fromWallClock(wall, firstOffset);
      const guessOffset = offsetAt(guess);
      const epochMs = fromWallClock(wall, guessOffset);
      if (toWallClock(epochMs, offsetAt(epochMs)).getTime() === wallMs) return epochMs;
      // Skipped by a change to a later offset: the smaller offset is the one before it.
      return fromWallClock(wall, Math.min(firstOffset, guessOffset));
    },
  };
}

/** Minutes east of UTC in the formatter's zone at an instant. */
function offsetMinutesAt(format: Intl.DateTimeFormat, epochMs: number): number {
  const parts = format.formatToParts(epochMs);
  const read = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value);
  const wallMs = Date.UTC(read("year"), read("month") - 1, read("day"), read("hour"), read("minute"), read("second"));
  return Math.round((wallMs - epochMs) / 60_000);
}
