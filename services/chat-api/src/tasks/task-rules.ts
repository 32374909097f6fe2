import {
  AppError,
  DATE_TIME_PATTERN,
  MAX_DESCRIPTION_LENGTH,
  MAX_TAGS,
  MAX_TITLE_LENGTH,
  PRIORITIES,
  TAG_PATTERN,
  type Priority,
  type Task,
  type TaskCreateBody,
  type TaskPatchBody,
} from "@todo/common";
import { daysInMonth, parseRecurrence } from "./recurrence-rule.ts";

/**
 * The task rules as pure functions: normalise and validate what a caller
 * asks for, and compute the task that results from each kind of change. The
 * service only loads, saves and publishes what these decide. Rule violations
 * are 422 `invalid_task` (the request was well-formed JSON of the right shape
 * but breaks a rule), with one `{ path, message }` per problem in `details`.
 */
/** What a caller may set on a task. `null` clears a date or the rule; an omitted field keeps (or defaults) it. */
export type TaskInput = TaskPatchBody;
export type NewTaskInput = TaskCreateBody;

/** The editable fields of a task, normalised. */
export type TaskFields = Pick<Task, "title" | "description" | "priority" | "tags" | "dueAt" | "remindAt" | "recurrence">;

export interface RuleIssue {
  path: string;
  message: string;
}

export class TaskRuleError extends AppError {
  constructor(readonly issues: RuleIssue[]) {
    super(422, "invalid_task", issues.map((issue) => `${issue.path.slice(1)}: ${issue.message}`).join("; "), issues);
  }
}

// The public task schema counts UTF-16 code units (like JS `length`), so the rules do too.
const TAG = new RegExp(TAG_PATTERN);
const DATE_TIME = new RegExp(DATE_TIME_PATTERN);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// PostgreSQL text cannot hold NUL; a lone surrogate has no UTF-8 encoding.
const UNSTORABLE = (text: string) => text.includes("\u0000") || LONE_SURROGATE.test(text);
// Dates a calendar (and the task schema's four-digit year) can hold.
const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Normalises the fields of a new task; defaults fill what is omitted. */
export function normaliseNewTask(input: NewTaskInput, now: Date, options: { allowPastReminder?: boolean } = {}): TaskFields {
  const issues: RuleIssue[] = [];
  const fields: TaskFields = {
    title: normaliseTitle(input.title, issues),
    description: normaliseDescription(input.description ?? "", issues),
    priority: normalisePriority(input.priority ?? "none", issues),
    tags: normaliseTags(input.tags ?? [], issues),
    dueAt: normaliseInstant(input.dueAt ?? null, "/dueAt", issues),
    remindAt: normaliseInstant(input.remindAt ?? null, "/remindAt", issues),
    recurrence: normaliseRecurrence(input.recurrence ?? null, issues),
  };
  if (!options.allowPastReminder) checkReminderNotPast(fields.remindAt, now, issues);
  checkRecurrenceAnchor(fields, issues);
  if (issues.length > 0) throw new TaskRuleError(issues);
  return fields;
}

/** The fields after applying `patch` to `current`; a reminder is only checked against `now` when it changes. */
export function applyPatch(current: TaskFields, patch: TaskInput, now: Date): TaskFields {
  const issues: RuleIssue[] = [];
  const fields: TaskFields = {
    title: patch.title === undefined ? current.title : normaliseTitle(patch.title, issues),
    description: patch.description === undefined ? current.description : normaliseDescription(patch.description, issues),
    priority: patch.priority === undefined ? current.priority : normalisePriority(patch.priority, issues),
    tags: patch.tags === undefined ? current.tags : normaliseTags(patch.tags, issues),
    dueAt: patch.dueAt === undefined ? current.dueAt : normaliseInstant(patch.dueAt, "/dueAt", issues),
    remindAt: patch.remindAt === undefined ? current.remindAt : normaliseInstant(patch.remindAt, "/remindAt", issues),
    recurrence: patch.recurrence === undefined ? current.recurrence : normaliseRecurrence(patch.recurrence, issues),
  };
  if (fields.remindAt !== current.remindAt) checkReminderNotPast(fields.remindAt, now, issues);
  checkRecurrenceAnchor(fields, issues);
  if (issues.length > 0) throw new TaskRuleError(issues);
  return fields;
}

/**
 * A rule needs a series: the task that first gets one becomes the anchor
 * (seriesId = its own id, occurrence 0). A task already in a series keeps
 * its place when the rule changes or is cleared, so its slot is never reused.
 */
export function withSeries(task: Task): Task {
  if (task.recurrence === null || task.seriesId !== null) return task;
  return { ...task, seriesId: task.id, occurrence: 0 };
}

/** Undefined when already completed: completing twice changes nothing. */
export function completed(task: Task, now: Date): Task | undefined {
  if (task.status === "completed") return undefined;
  return { ...task, status: "completed", completedAt: now.toISOString() };
}

/** Undefined when already pending: reopening twice changes nothing. */
export function reopened(task: Task): Task | undefined {
  if (task.status === "pending") return undefined;
  return { ...task, status: "pending", completedAt: null };
}

/** The tombstone the row becomes. */
export function deleted(task: Task, now: Date): Task {
  return { ...task, deletedAt: now.toISOString() };
}

const COMPARED_FIELDS = [
  "title",
  "description",
  "status",
  "priority",
  "tags",
  "dueAt",
  "remindAt",
  "recurrence",
  "seriesId",
  "occurrence",
  "completedAt",
  "deletedAt",
] as const satisfies readonly (keyof Task)[];

/** The task fields that differ, by name (what `todo.task.updated.v1` lists in `changed`). */
export function changedFields(before: Task, after: Task): (keyof Task)[] {
  return COMPARED_FIELDS.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
}

/** Stamps a real change: the version moves by one and updatedAt to now. */
export function nextVersion(after: Task, now: Date): Task {
  return { ...after, version: after.version + 1, updatedAt: now.toISOString() };
}

function normaliseTitle(title: string, issues: RuleIssue[]): string {
  const trimmed = title.trim();
  if (trimmed.length === 0) issues.push({ path: "/title", message: "must not be empty" });
  else if (trimmed.length > MAX_TITLE_LENGTH) issues.push({ path: "/title", message: `must be at most ${MAX_TITLE_LENGTH} characters` });
  else if (UNSTORABLE(trimmed)) issues.push({ path: "/title", message: "contains characters that cannot be stored" });
  return trimmed;
}

function normaliseDescription(description: string, issues: RuleIssue[]): string {
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    issues.push({ path: "/description", message: `must be at most ${MAX_DESCRIPTION_LENGTH} characters` });
  } else if (UNSTORABLE(description)) {
    issues.push({ path: "/description", message: "contains characters that cannot be stored" });
  }
  return description;
}

function normalisePriority(priority: string, issues: RuleIssue[]): Priority {
  if ((PRIORITIES as readonly string[]).includes(priority)) return priority as Priority;
  issues.push({ path: "/priority", message: `must be one of ${PRIORITIES.join(", ")}` });
  return "none";
}

/** Lower-cased, trimmed, first occurrence kept. */
export function normaliseTags(tags: readonly string[], issues: RuleIssue[] = []): string[] {
  const unique = [...new Set(tags.map((tag) => tag.trim().toLowerCase()))];
  unique.forEach((tag, index) => {
    if (!TAG.test(tag)) {
      issues.push({ path: `/tags/${index}`, message: "tags are 1-32 characters: letters, digits, '-' or '_', starting with a letter or digit" });
    }
  });
  if (unique.length > MAX_TAGS) issues.push({ path: "/tags", message: `at most ${MAX_TAGS} tags` });
  return unique;
}

/**
 * ISO 8601 / RFC 3339 with an explicit offset, for a day that exists. Kept
 * as the UTC instant at millisecond precision: the database stores an
 * instant (not the offset), and keyset cursors compare it exactly.
 */
export function normaliseInstant(value: string | null, path: string, issues: RuleIssue[]): string | null {
  if (value === null) return null;
  const instant = parseInstant(value);
  if (instant === undefined) {
    issues.push({ path, message: "must be an ISO 8601 date-time with offset, e.g. 2026-03-01T09:00:00+01:00" });
    return null;
  }
  return instant.toISOString();
}

export function parseInstant(value: string): Date | undefined {
  if (!DATE_TIME.test(value)) return undefined;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (year < 1900 || day > daysInMonth(year, month)) return undefined;
  const millis = Date.parse(value);
  if (Number.isNaN(millis) || millis < EARLIEST || millis > LATEST) return undefined;
  return new Date(millis);
}

function normaliseRecurrence(value: string | null, issues: RuleIssue[]): string | null {
  if (value === null) return null;
  const result = parseRecurrence(value);
  if (!result.ok) {
    issues.push({ path: "/recurrence", message: result.message });
    return null;
  }
  return result.rule;
}

function checkReminderNotPast(remindAt: string | null, now: Date, issues: RuleIssue[]) {
  if (remindAt !== null && Date.parse(remindAt) < now.getTime()) {
    issues.push({ path: "/remindAt", message: "must not be in the past" });
  }
}

function checkRecurrenceAnchor(fields: TaskFields, issues: RuleIssue[]) {
  if (fields.recurrence !== null && fields.dueAt === null && !issues.some((issue) => issue.path === "/dueAt")) {
    issues.push({ path: "/recurrence", message: "needs dueAt: the due date anchors the series" });
  }
}
