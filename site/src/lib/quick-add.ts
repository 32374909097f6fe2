import type { TaskFields } from "./api.ts";
import { formatWhen } from "./dates.ts";
import { describeRRule } from "./recurrence.ts";

/** One labelled piece of what a quick-add line will create. */
export interface PreviewChip {
  label: string;
  text: string;
}

/**
 * What the quick-add preview shows for the fields the server read from the
 * line (POST /api/tasks/parse): the same fields the island then creates.
 */
export function previewChips(fields: TaskFields, timeZone?: string): PreviewChip[] {
  const chips: PreviewChip[] = [];
  if (fields.title) chips.push({ label: "Title", text: fields.title });
  if (fields.dueAt) chips.push({ label: "Due", text: formatWhen(fields.dueAt, timeZone) });
  if (fields.remindAt) chips.push({ label: "Reminder", text: formatWhen(fields.remindAt, timeZone) });
  if (fields.recurrence) chips.push({ label: "Repeats", text: describeRRule(fields.recurrence) });
  if (fields.priority && fields.priority !== "none") chips.push({ label: "Priority", text: fields.priority });
  if (fields.tags && fields.tags.length > 0) chips.push({ label: "Tags", text: fields.tags.map((tag) => `#${tag}`).join(" ") });
  return chips;
}

/** One sentence for screen readers, e.g. "Will add Pay rent, due Wed 2 Dec, 09:00, priority high, tags #home." */
export function previewSentence(chips: PreviewChip[]): string {
  if (chips.length === 0) return "";
  const [title, ...rest] = chips;
  const details = rest.map((chip) => `${chip.label.toLowerCase()} ${chip.text}`);
  return `Will add ${title!.text}${details.length > 0 ? `, ${details.join(", ")}` : ""}.`;
}

/** A line worth asking the server about: something besides spaces, and not just what was asked last. */
export function shouldPreview(line: string, lastAsked: string | undefined): boolean {
  const trimmed = line.trim();
  return trimmed.length > 0 && trimmed.length <= 500 && trimmed !== lastAsked;
}
