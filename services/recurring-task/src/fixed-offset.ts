/**
 * Recurrence rules speak of wall-clock time ("every Monday at 09:00"), but a
 * task only carries instants with a UTC offset. A task without a time zone
 * has its rule evaluated on the clock of the due date's own offset: a Date
 * whose UTC fields read that wall time ("floating" time, which is what the
 * rrule package computes in).
 *
 * An offset is not a time zone: across a daylight-saving change the wall time
 * of later occurrences stays on the anchor's offset. zone-clock.ts follows a
 * task's IANA zone instead.
 */
const OFFSET = /(?:Z|([+-])(\d{2}):(\d{2}))$/i;

export interface OffsetInstant {
  epochMs: number;
  /** Minutes east of UTC, e.g. +60 for "+01:00". */
  offsetMinutes: number;
}

/** Reads an RFC 3339 date-time with its offset; undefined when it has none or does not parse. */
export function parseOffsetInstant(text: string): OffsetInstant | undefined {
  const match = OFFSET.exec(text);
  const epochMs = Date.parse(text);
  if (!match || Number.isNaN(epochMs)) return undefined;
  const [, sign, hours, minutes] = match;
  const offsetMinutes = sign === undefined ? 0 : (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  return { epochMs, offsetMinutes };
}

export function toWallClock(epochMs: number, offsetMinutes: number): Date {
  return new Date(epochMs + offsetMinutes * 60_000);
}

export function fromWallClock(wall: Date, offsetMinutes: number): number {
  return wall.getTime() - offsetMinutes * 60_000;
}

/** RFC 3339 on the given offset, e.g. "2026-03-09T09:00:00.000+01:00" ("Z" for UTC). */
export function formatWithOffset(epochMs: number, offsetMinutes: number): string {
  const wall = toWallClock(epochMs, offsetMinutes).toISOString();
  if (offsetMinutes === 0) return wall;
  const sign = offsetMinutes < 0 ? "-" : "+";
  const magnitude = Math.abs(offsetMinutes);
  const hh = String(Math.floor(magnitude / 60)).padStart(2, "0");
  const mm = String(magnitude % 60).padStart(2, "0");
  return `${wall.slice(0, -1)}${sign}${hh}:${mm}`;
}
