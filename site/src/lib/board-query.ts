import type { Priority, Task } from "./api.ts";
import { daysFromToday, localDayKey, relativeDay, startOfDay } from "./dates.ts";

/**
 * What the board shows: a view (a list people plan from) narrowed by
 * filters. The tab holds every task of the user (task-store.ts), so views,
 * filters and sorting run here, on the live data, with no request.
 */
export type ViewName = "today" | "upcoming" | "all" | "completed";
/** A named view, or `tag:<tag>` for one tag's open tasks. */
export type View = ViewName | `tag:${string}`;
export const VIEWS: { view: ViewName; label: string; key?: string }[] = [
  { view: "today", label: "Today", key: "t" },
  { view: "upcoming", label: "Upcoming", key: "u" },
  { view: "all", label: "All" },
  { view: "completed", label: "Completed" },
];
export const DEFAULT_VIEW: View = "today";

export type SortKey = "" | "created" | "due" | "priority" | "title" | "updated";

/** The filters behind the Filter control (search sits next to it). */
export interface BoardFilters {
  priority: Priority | "";
  /** Space- or comma-separated; every tag must be on the task. */
  tags: string;
  /** Local dates (YYYY-MM-DD) from the date pickers; both inclusive. */
  dueFrom: string;
  dueTo: string;
  overdue: boolean;
  q: string;
  /** "" is the view's own order (by due date in Today and Upcoming, newest first elsewhere). */
  sort: SortKey;
}

export const DEFAULT_FILTERS: BoardFilters = { priority: "", tags: "", dueFrom: "", dueTo: "", overdue: false, q: "", sort: "" };

const PRIORITIES: readonly string[] = ["high", "medium", "low", "none"];
const SORTS: readonly string[] = ["created", "due", "priority", "title", "updated"];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The view and filters a URL query holds; anything unknown falls back to the default, so a hand-edited URL cannot break the board. */
export function readQuery(search: string): { view: View; filters: BoardFilters } {
  const query = new URLSearchParams(search);
  const rawView = query.get("view") ?? "";
  const tag = rawView.startsWith("tag:") ? parseTags(rawView.slice(4))[0] : undefined;
  const view: View = tag ? `tag:${tag}` : VIEWS.some((entry) => entry.view === rawView) ? (rawView as ViewName) : DEFAULT_VIEW;
  const priority = query.get("priority") ?? "";
  const sort = query.get("sort") ?? "";
  const date = (name: string) => (DATE.test(query.get(name) ?? "") ? query.get(name)! : "");
  return {
    view,
    filters: {
      priority: PRIORITIES.includes(priority) ? (priority as Priority) : "",
      tags: parseTags(query.get("tags") ?? "").join(" "),
      dueFrom: date("from"),
      dueTo: date("to"),
      overdue: query.get("overdue") === "1",
      q: (query.get("q") ?? "").slice(0, 200),
      sort: SORTS.includes(sort) ? (sort as SortKey) : "",
    },
  };
}

/** The URL query for a view and filters; defaults are left out so the usual URL stays short. */
export function writeQuery(view: View, filters: BoardFilters): string {
  const query = new URLSearchParams();
  if (view !== DEFAULT_VIEW) query.set("view", view);
  if (filters.q.trim()) query.set("q", filters.q.trim());
  if (filters.priority) query.set("priority", filters.priority);
  if (filters.tags.trim()) query.set("tags", parseTags(filters.tags).join(" "));
  if (filters.dueFrom) query.set("from", filters.dueFrom);
  if (filters.dueTo) query.set("to", filters.dueTo);
  if (filters.overdue) query.set("overdue", "1");
  if (filters.sort) query.set("sort", filters.sort);
  const text = query.toString();
  return text ? `?${text}` : "";
}

/** How many filters narrow the list (search not counted: it shows in its own box). */
export function activeFilterCount(filters: BoardFilters): number {
  return [filters.priority, filters.tags.trim(), filters.dueFrom, filters.dueTo, filters.overdue, filters.sort].filter(Boolean).length;
}

export function viewLabel(view: View): string {
  return view.startsWith("tag:") ? `#${view.slice(4)}` : VIEWS.find((entry) => entry.view === view)!.label;
}

/** Whether a task belongs to a view: Today is everything open due by tonight, overdue included. */
export function inView(task: Task, view: View, now: Date): boolean {
  if (view === "completed") return task.status === "completed";
  if (task.status !== "pending") return false;
  if (view === "all") return true;
  if (view.startsWith("tag:")) return task.tags.includes(view.slice(4));
  if (!task.dueAt) return false;
  const days = daysFromToday(new Date(task.dueAt), now);
  return view === "today" ? days <= 0 : days > 0;
}

export function matchesFilters(task: Task, filters: BoardFilters, now: Date): boolean {
  if (filters.priority && task.priority !== filters.priority) return false;
  if (!parseTags(filters.tags).every((tag) => task.tags.includes(tag))) return false;
  const due = task.dueAt ? new Date(task.dueAt) : null;
  if ((filters.dueFrom || filters.dueTo || filters.overdue) && !due) return false;
  if (due && filters.dueFrom && localDayKey(due) < filters.dueFrom) return false;
  if (due && filters.dueTo && localDayKey(due) > filters.dueTo) return false;
  if (filters.overdue && !(task.status === "pending" && due!.getTime() < now.getTime())) return false;
  return matchesSearch(task, filters.q);
}

/** Every word must appear in the title, description or tags; a word starting with '-' must not. */
export function matchesSearch(task: Task, q: string): boolean {
  const text = `${task.title} ${task.description} ${task.tags.map((tag) => `#${tag} ${tag}`).join(" ")}`.toLocaleLowerCase();
  return q
    .toLocaleLowerCase()
    .split(/\s+/)
    .filter((word) => word && word !== "-")
    .every((word) => (word.startsWith("-") ? !text.includes(word.slice(1)) : text.includes(word)));
}

const RANK: Record<Priority, number> = { high: 0, medium: 1, low: 2, none: 3 };
const time = (iso: string | null) => (iso ? Date.parse(iso) : Number.POSITIVE_INFINITY);
const COMPARE: Record<Exclude<SortKey, "">, (a: Task, b: Task) => number> = {
  // Undated tasks come last, as the API sorts them.
  due: (a, b) => time(a.dueAt) - time(b.dueAt) || RANK[a.priority] - RANK[b.priority],
  priority: (a, b) => RANK[a.priority] - RANK[b.priority] || time(a.dueAt) - time(b.dueAt),
  title: (a, b) => a.title.localeCompare(b.title),
  created: (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt),
  updated: (a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt),
};

export function sortTasks(tasks: Task[], view: View, sort: SortKey): Task[] {
  if (!sort && view === "completed") return [...tasks].sort((a, b) => time(b.completedAt) - time(a.completedAt));
  const key = sort || (view === "today" || view === "upcoming" ? "due" : "created");
  return [...tasks].sort((a, b) => COMPARE[key](a, b) || a.id.localeCompare(b.id));
}

export interface TaskGroup {
  /** A heading, or "" for a view shown as one list. */
  title: string;
  key: string;
  tasks: Task[];
}

/** Today splits into Overdue and Today; Upcoming has one group per day ("Tomorrow", "Friday", "Mon 14 Dec"). */
export function groupTasks(tasks: Task[], view: View, now: Date): TaskGroup[] {
  if (view !== "today" && view !== "upcoming") return [{ title: "", key: "all", tasks }];
  const groups = new Map<string, TaskGroup>();
  const today = startOfDay(now);
  for (const task of tasks) {
    const due = task.dueAt ? new Date(task.dueAt) : today;
    const overdue = view === "today" && due.getTime() < now.getTime() && daysFromToday(due, now) < 0;
    const key = overdue ? "overdue" : localDayKey(due);
    if (!groups.has(key)) groups.set(key, { title: overdue ? "Overdue" : relativeDay(due, now), key, tasks: [] });
    groups.get(key)!.tasks.push(task);
  }
  return [...groups.values()];
}

/** "#home, work" -> ["home", "work"]: lower-cased, without '#', de-duplicated. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(/[\s,]+/)
    .map((tag) => tag.replace(/^#/, "").trim().toLowerCase())
    .filter(Boolean);
  return [...new Set(tags)];
}
