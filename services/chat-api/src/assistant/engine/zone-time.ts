/** Wall-clock arithmetic in an IANA zone, without a date library: the offset comes from Intl. */
export function zoneOffsetMinutes(timeZone: string, at: Date): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(at)
    .find((part) => part.type === "timeZoneName")?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? "");
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === "-" ? -minutes : minutes;
}

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  weekday: number; // 0 = Sunday
}

export function wallClock(at: Date, timeZone: string): WallClock {
  const local = new Date(at.getTime() + zoneOffsetMinutes(timeZone, at) * 60_000);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    weekday: local.getUTCDay(),
  };
}

/** The instant at which the zone's clock shows this date and time (day may overflow: Date.UTC normalises). */
export function instantAt(timeZone: string, year: number, month: number, day: number, hour: number, minute: number): Date {
  const guess = new Date(Date.UTC(year, month - 1, day, hour, minute));
  const first = new Date(guess.getTime() - zoneOffsetMinutes(timeZone, guess) * 60_000);
  // A second pass settles days on which the offset changes.
  return new Date(guess.getTime() - zoneOffsetMinutes(timeZone, first) * 60_000);
}

const TODAY = { en: "today", ur: "آج", "ur-Latn": "aaj" } as const;
const TOMORROW = { en: "tomorrow", ur: "کل", "ur-Latn": "kal" } as const;

/**
 * A time as people say it: "today 17:00", "tomorrow 09:30", "Fri 13 Mar 17:00",
 * with the year only when it is not this year. Without `now`, always the date.
 */
export function formatWhen(iso: string, timeZone: string, language: "en" | "ur" | "ur-Latn", now?: Date): string {
  const at = new Date(iso);
  const local = wallClock(at, timeZone);
  const time = `${String(local.hour).padStart(2, "0")}:${String(local.minute).padStart(2, "0")}`;
  if (now) {
    const today = wallClock(now, timeZone);
    const days = Math.round((Date.UTC(local.year, local.month - 1, local.day) - Date.UTC(today.year, today.month - 1, today.day)) / 86_400_000);
    if (days === 0) return `${TODAY[language]} ${time}`;
    if (days === 1) return `${TOMORROW[language]} ${time}`;
  }
  const sameYear = !now || wallClock(now, timeZone).year === local.year;
  const date = new Intl.DateTimeFormat(language === "ur" ? "ur-PK" : "en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    ...(sameYear ? {} : { year: "numeric" }),
  }).format(at);
  return `${date.replace(/,/g, "")} ${time}`;
}
