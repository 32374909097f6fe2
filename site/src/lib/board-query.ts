import type { Priority } from "./api.ts";

/** The board's filters, as the tabs, selects and search box hold them. */
export interface BoardFilters {
  status: "pending" | "completed" | "all";
  priority: Priority | "";
  /** Space- or comma-separated; every tag must be on the task. */
  tags: string;
  /** Local dates (YYYY-MM-DD) from the date pickers; both inclusive. */
  dueFrom: string;
  dueTo: string;
  overdue: boolean;
  q: string;
  sort: "created" | "due" | "priority" | "title" | "updated";
}

export const DEFAULT_FILTERS: BoardFilters = {
  status: "pending",
  priority: "",
  tags: "",
  dueFrom: "",
  dueTo: "",
  overdue: false,
  q: "",
  sort: "created",
};

/** The GET /api/tasks query for the filters. Local dates become instants at local midnight. */
export function taskQuery(filters: BoardFilters, limit = 100): string {
  const query = new URLSearchParams({ status: filters.status, sort: filters.sort, limit: String(limit) });
  if (filters.priority) query.set("priority", filters.priority);
  for (const tag of parseTags(filters.tags)) query.append("tag", tag);
  if (filters.dueFrom) query.set("dueAfter", localMidnight(filters.dueFrom, 0));
  if (filters.dueTo) query.set("dueBefore", localMidnight(filters.dueTo, 1));
  if (filters.overdue) query.set("overdue", "true");
  if (filters.q.trim()) query.set("q", filters.q.trim());
  return query.toString();
}

/** "#home, work" -> ["home", "work"]: lower-cased, without '#', de-duplicated. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(/[\s,]+/)
    .map((tag) => tag.replace(/^#/, "").trim().toLowerCase())
    .filter(Boolean);
  return [...new Set(tags)];
}

function localMidnight(date: string, addDays: number): string {
  const [year, month, day] = date.split("-").map(Number);
  return new Date(year!, month! - 1, day! + addDays).toISOString();
}
