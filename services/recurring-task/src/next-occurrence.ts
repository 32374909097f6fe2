import type { Task } from "@todo/common";
import { RRule, type Options } from "rrule";
import { formatWithOffset, parseOffsetInstant } from "./fixed-offset.ts";
import { nextRuleDate } from "./next-rule-date.ts";
import { ianaZone, offsetZone, type WallClockZone } from "./zone-clock.ts";

/** What chat-api needs to create the next task of a series (its internal occurrences route). */
export interface OccurrenceDraft {
  userId: string;
  seriesId: string;
  /** Index in the series; the anchor is 0. */
  occurrence: number;
  title: string;
  description: string;
  priority: Task["priority"];
  tags: string[];
  dueAt: string;
  remindAt: string | null;
  recurrence: string;
}

/** Why there is no next occurrence: no rule; a rule without its anchor (chat-api never writes that); the rule's end; a rule we cannot read. */
export type SeriesEnd = "not-recurring" | "no-anchor" | "count-reached" | "until-passed" | "no-more-dates" | "invalid-rule";

export type NextOccurrence = { next: OccurrenceDraft } | { next: null; reason: SeriesEnd; detail: string };

/**
 * The task that follows `task` in its series, or why there is none.
 *
 * The completed occurrence's due date anchors the computation, never the
 * completion time: a weekly Monday task completed on Wednesday recurs next
 * Monday. COUNT counts the series' occurrences 0..COUNT-1 (the anchor always
 * counts, as RFC 5545 counts DTSTART); UNTIL is inclusive.
 *
 * Late completion: the next occurrence is always the one right after the
 * completed occurrence's due date, even when that date is already past. No
 * occurrence is skipped, so every slot of the series exists exactly once,
 * COUNT means what it says, and completing an overdue task gives one
 * predictable task (itself overdue when the user is several periods behind).
 *
 * The rule is evaluated on the wall clock of the task's time zone (DST-aware:
 * 21:00 local stays 21:00 local), so BYDAY and BYMONTHDAY mean the user's
 * day, not UTC's. A task without a time zone is evaluated on its due date's
 * UTC offset.
 */
export function nextOccurrence(task: Task): NextOccurrence {
  const { recurrence, seriesId, occurrence, dueAt } = task;
  if (recurrence === null) return seriesEnd("not-recurring", "the task has no recurrence rule");
  if (seriesId === null || occurrence === null) return seriesEnd("no-anchor", "the task has a rule but is not part of a series");
  if (dueAt === null) return seriesEnd("no-anchor", "the task has a rule but no due date to anchor the series");
  const due = parseOffsetInstant(dueAt);
  if (!due) return seriesEnd("invalid-rule", `due date ${dueAt} has no readable offset`);
  const rule = parseRule(recurrence);
  if ("error" in rule) return seriesEnd("invalid-rule", rule.error);
  const zone = task.timeZone === undefined ? offsetZone(due.offsetMinutes) : ianaZone(task.timeZone);
  if (!zone) return seriesEnd("invalid-rule", `time zone ${task.timeZone} is not known`);

  const nextIndex = occurrence + 1;
  if (rule.count !== undefined && nextIndex >= rule.count) {
    return seriesEnd("count-reached", `COUNT=${rule.count} ends the series at occurrence ${rule.count - 1}`);
  }
  const nextWall = nextRuleDate(rule.options, zone.toWall(due.epochMs));
  if (nextWall === null) return seriesEnd("no-more-dates", "the rule yields no further date within a century");
  if (rule.until !== undefined && nextWall.getTime() > rule.until.lastWallMs(zone)) {
    return seriesEnd("until-passed", `the next date would be after UNTIL=${rule.until.text}`);
  }

  const nextDueMs = zone.fromWall(nextWall);
  return {
    next: {
      userId: task.userId,
      seriesId,
      occurrence: nextIndex,
      title: task.title,
      description: task.description,
      priority: task.priority,
      tags: [...task.tags],
      dueAt: formatWithOffset(nextDueMs, due.offsetMinutes),
      remindAt: movedReminder(task.remindAt, due.epochMs, nextDueMs),
      recurrence,
    },
  };
}

function seriesEnd(reason: SeriesEnd, detail: string): NextOccurrence {
  return { next: null, reason, detail };
}

/** The reminder keeps its distance to the due date (15 minutes before stays 15 minutes before). */
function movedReminder(remindAt: string | null, dueMs: number, nextDueMs: number): string | null {
  if (remindAt === null) return null;
  const reminder = parseOffsetInstant(remindAt);
  if (!reminder) return null;
  return formatWithOffset(nextDueMs + (reminder.epochMs - dueMs), reminder.offsetMinutes);
}

interface ParsedRule {
  /** The rule without COUNT and UNTIL, which are applied against the series' own indices and clock. */
  options: Partial<Options>;
  count?: number;
  until?: { text: string; lastWallMs: (zone: WallClockZone) => number };
}

function parseRule(text: string): ParsedRule | { error: string } {
  const body = text.trim().replace(/^RRULE:/i, "");
  let options: Partial<Options>;
  try {
    options = RRule.parseString(body);
  } catch (error) {
    return { error: `cannot parse rule ${body}: ${(error as Error).message}` };
  }
  if (options.freq === undefined) return { error: `rule ${body} names no FREQ` };
  const parsed: ParsedRule = { options };
  if (typeof options.count === "number") parsed.count = options.count;
  const untilText = /(?:^|;)UNTIL=([^;]*)/i.exec(body)?.[1];
  if (untilText !== undefined) {
    const lastWallMs = untilBound(untilText);
    if (!lastWallMs) return { error: `UNTIL=${untilText} is not a date or date-time` };
    parsed.until = { text: untilText, lastWallMs };
  }
  return parsed;
}

/**
 * The last wall-clock instant UNTIL allows, on the series' clock. RFC 5545: a
 * UTC value ("Z") is an instant; a local date-time is read on the series'
 * clock; a date alone includes that whole day.
 */
function untilBound(text: string): ((zone: WallClockZone) => number) | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/i.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, utc] = match;
  if (hour === undefined) {
    const nextDayStart = Date.UTC(Number(year), Number(month) - 1, Number(day) + 1);
    return () => nextDayStart - 1;
  }
  const stamp = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  return utc ? (zone) => zone.toWall(stamp).getTime() : () => stamp;
}
