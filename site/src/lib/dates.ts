/**
 * Dates between the API (UTC instants) and the page (the browser's wall
 * clock, which the site also stores as the profile's time zone, so the chat
 * and quick add read "9am" the same way the pickers show it).
 */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** An instant as the value of an <input type="datetime-local"> ("2026-03-01T09:00"), in local time. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return "";
  const date = new Date(iso);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The value of a datetime-local input as an instant the API accepts; null when empty. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** "Tue 3 Mar, 09:00" in the given zone (the browser's by default). */
export function formatWhen(iso: string, timeZone?: string, locale = "en-GB"): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
  }).format(new Date(iso));
}

export function isOverdue(task: { status: string; dueAt: string | null }, now: Date): boolean {
  return task.status === "pending" && task.dueAt !== null && Date.parse(task.dueAt) < now.getTime();
}

const DAY_MS = 86_400_000;

/** Local midnight at the start of the day `date` falls on. */
export function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

/** Whole local days from today to the day of `date` (negative in the past); rounding absorbs DST changes. */
export function daysFromToday(date: Date, now: Date): number {
  return Math.round((startOfDay(date).getTime() - startOfDay(now).getTime()) / DAY_MS);
}

/** "2026-12-02": the local day, as a group key and as the value of a date picker. */
export function localDayKey(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * A day as people say it, in the browser's language: "Today", "Tomorrow",
 * "Yesterday", a weekday within the coming week, else a short date with the
 * year when it is not this year.
 */
export function relativeDay(date: Date, now = new Date(), locale?: string): string {
  const days = daysFromToday(date, now);
  if (days >= -1 && days <= 1) {
    const word = new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(days, "day");
    return word.charAt(0).toLocaleUpperCase(locale) + word.slice(1);
  }
  if (days > 1 && days < 7) return new Intl.DateTimeFormat(locale, { weekday: "long" }).format(date);
  const year = date.getFullYear() === now.getFullYear() ? {} : { year: "numeric" as const };
  return new Intl.DateTimeFormat(locale, { weekday: "short", day: "numeric", month: "short", ...year }).format(date);
}

/** A time in the browser's locale, which also decides 12- or 24-hour ("9:00 AM", "09:00"). */
export function localTime(date: Date, locale?: string): string {
  // A 24-hour clock reads "09:00"; a 12-hour one "9:00 AM".
  const twelveHour = new Intl.DateTimeFormat(locale, { hour: "numeric" }).resolvedOptions().hour12;
  return new Intl.DateTimeFormat(locale, { hour: twelveHour ? "numeric" : "2-digit", minute: "2-digit" }).format(date);
}

/** "Tomorrow, 9:00 AM", "Friday, 18:30", "Wed 9 Jan 2030, 10:00": the one format of badges and picker hints. */
export function relativeWhen(iso: string, now = new Date(), locale?: string): string {
  const date = new Date(iso);
  return `${relativeDay(date, now, locale)}, ${localTime(date, locale)}`;
}
