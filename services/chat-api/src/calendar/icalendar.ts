import type { Task } from "@todo/common";

/**
 * Tasks as an RFC 5545 calendar: one VEVENT per open task with a due date
 * (VEVENT, not VTODO, because Google Calendar shows only events), its RRULE
 * when it repeats, a VALARM at its reminder. Lines end in CRLF and fold at 75
 * octets; text values are escaped.
 */
export function tasksCalendar(tasks: Task[], now: Date, name = "Todo"): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//todo-event-driven//tasks//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${text(name)}`,
    // How often subscribers should refetch (Apple and Outlook honour these).
    "REFRESH-INTERVAL;VALUE=DURATION:PT15M",
    "X-PUBLISHED-TTL:PT15M",
  ];
  for (const task of tasks) {
    if (task.status !== "pending" || !task.dueAt) continue;
    lines.push(
      "BEGIN:VEVENT",
      `UID:${task.id}@todo-event-driven`,
      `DTSTAMP:${utc(now.toISOString())}`,
      `LAST-MODIFIED:${utc(task.updatedAt)}`,
      `SEQUENCE:${task.version}`,
      `DTSTART:${utc(task.dueAt)}`,
      "DURATION:PT30M",
      `SUMMARY:${text(task.title)}`,
    );
    if (task.description) lines.push(`DESCRIPTION:${text(task.description)}`);
    if (task.tags.length > 0) lines.push(`CATEGORIES:${task.tags.map(text).join(",")}`);
    if (task.priority !== "none") lines.push(`PRIORITY:${{ high: 1, medium: 5, low: 9 }[task.priority]}`);
    // The rule as stored is a plain RRULE value (no DTSTART, checked on write).
    if (task.recurrence) lines.push(`RRULE:${task.recurrence}`);
    if (task.remindAt) {
      lines.push("BEGIN:VALARM", "ACTION:DISPLAY", `DESCRIPTION:${text(task.title)}`, `TRIGGER;VALUE=DATE-TIME:${utc(task.remindAt)}`, "END:VALARM");
    }
    lines.push("END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return lines.map(fold).join("\r\n") + "\r\n";
}

/** 2026-12-02T09:00:00.000Z -> 20261202T090000Z */
function utc(iso: string): string {
  return new Date(iso).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline. */
function text(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** Folds a content line at 75 octets without splitting a UTF-8 character (RFC 5545 3.1). */
function fold(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = "";
  let size = 0;
  for (const char of line) {
    const bytes = encoder.encode(char).length;
    const limit = parts.length === 0 ? 75 : 74; // continuation lines start with a space
    if (size + bytes > limit) {
      parts.push(current);
      current = "";
      size = 0;
    }
    current += char;
    size += bytes;
  }
  parts.push(current);
  return parts.join("\r\n ");
}
