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
