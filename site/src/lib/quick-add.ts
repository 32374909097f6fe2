import type { TaskFields } from "./api.ts";
import { formatWhen } from "./dates.ts";
import { describeRRule } from "./recurrence.ts";

/** One labelled piece of what a quick-add line will create, and the words of the line it came from. */
export interface PreviewChip {
  label: string;
  text: string;
  /** The words typed that became this field ("tomorrow 9am"), when they differ from `text`. */
  from?: string;
}

/** Which words of the line filled which field, as POST /api/tasks/parse answers them. */
export type ParsedWords = Partial<Record<"title" | "dueAt" | "remindAt" | "recurrence" | "priority" | "tags", string>>;

/** What POST /api/tasks/parse answers: the task's fields plus `words`. */
export type ParsedLine = TaskFields & { words?: ParsedWords };

/** The fields to create (what the preview showed) without the words they came from. */
export function fieldsOf(parsed: ParsedLine): TaskFields {
  const { words: _words, ...fields } = parsed;
  return fields;
}

/**
 * What the quick-add preview shows for the fields the server read from the
 * line (POST /api/tasks/parse): the same fields the island then creates, each
 * with the words that said it.
 */
export function previewChips(fields: ParsedLine, timeZone?: string): PreviewChip[] {
  const chips: PreviewChip[] = [];
  const words = fields.words ?? {};
  const chip = (label: string, text: string, from?: string) => chips.push(from && from !== text ? { label, text, from } : { label, text });
  if (fields.title) chip("Title", fields.title);
  if (fields.dueAt) chip("Due", formatWhen(fields.dueAt, timeZone), words.dueAt);
  if (fields.remindAt) chip("Reminder", formatWhen(fields.remindAt, timeZone), words.remindAt);
  if (fields.recurrence) chip("Repeats", describeRRule(fields.recurrence), words.recurrence);
  if (fields.priority && fields.priority !== "none") chip("Priority", fields.priority, words.priority);
  if (fields.tags && fields.tags.length > 0) chip("Tags", fields.tags.map((tag) => `#${tag}`).join(" "), words.tags);
  return chips;
}

/** One sentence for screen readers, e.g. "Will add Pay rent, due Wed 2 Dec, 09:00, priority high, tags #home." */
export function previewSentence(chips: PreviewChip[]): string {
  if (chips.length === 0) return "";
  const [title, ...rest] = chips;
  const details = rest.map((chip) => `${chip.label.toLowerCase()} ${chip.text}${chip.from ? ` (from “${chip.from}”)` : ""}`);
  return `Will add ${title!.text}${details.length > 0 ? `, ${details.join(", ")}` : ""}.`;
}

/** A line worth asking the server about: something besides spaces, and not just what was asked last. */
export function shouldPreview(line: string, lastAsked: string | undefined): boolean {
  const trimmed = line.trim();
  return trimmed.length > 0 && trimmed.length <= 500 && trimmed !== lastAsked;
}
