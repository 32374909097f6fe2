import { AppError, PRIORITIES, type Priority } from "@todo/common";
import { normaliseTags, parseInstant, type RuleIssue } from "./task-rules.ts";

export const SORT_FIELDS = ["due", "priority", "title", "created", "updated"] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export type SortOrder = "asc" | "desc";
export type StatusFilter = "pending" | "completed" | "all";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
export const MAX_QUERY_TEXT = 200;

/** What a caller may ask of the task list (every field optional). */
export interface TaskListQuery {
  status?: StatusFilter;
  priority?: Priority;
  /** Every tag must be on the task. */
  tags?: string[];
  /** Full-text search over title, description and tags. */
  q?: string;
  /** Due strictly before this instant. */
  dueBefore?: string;
  /** Due at or after this instant. */
  dueAfter?: string;
  /** Pending and due before now. */
  overdue?: boolean;
  sort?: SortField;
  order?: SortOrder;
  limit?: number;
  cursor?: string;
}

/** The list query with defaults applied and values normalised: what the store runs. */
export interface ListFilter {
  status: StatusFilter;
  priority: Priority | undefined;
  tags: string[];
  q: string | undefined;
  dueBefore: string | undefined;
  dueAfter: string | undefined;
  overdue: boolean;
  sort: SortField;
  order: SortOrder;
  limit: number;
}

/**
 * The natural direction of each sort when `order` is omitted: soonest due
 * first, most important first, A to Z, newest first, latest change first.
 */
const DEFAULT_ORDER: Record<SortField, SortOrder> = {
  due: "asc",
  priority: "desc",
  title: "asc",
  created: "desc",
  updated: "desc",
};

export function normaliseListQuery(query: TaskListQuery): ListFilter {
  const issues: RuleIssue[] = [];
  const sort = query.sort ?? "created";
  if (!SORT_FIELDS.includes(sort)) issues.push({ path: "/sort", message: `must be one of ${SORT_FIELDS.join(", ")}` });
  const order = query.order ?? DEFAULT_ORDER[sort] ?? "asc";
  if (order !== "asc" && order !== "desc") issues.push({ path: "/order", message: "must be asc or desc" });
  const status = query.status ?? "pending";
  if (!["pending", "completed", "all"].includes(status)) issues.push({ path: "/status", message: "must be pending, completed or all" });
  if (query.priority !== undefined && !PRIORITIES.includes(query.priority)) {
    issues.push({ path: "/priority", message: `must be one of ${PRIORITIES.join(", ")}` });
  }
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) issues.push({ path: "/limit", message: `must be an integer from 1 to ${MAX_LIMIT}` });
  const tagIssues: RuleIssue[] = [];
  const tags = normaliseTags(query.tags ?? [], tagIssues);
  issues.push(...tagIssues.map((issue) => ({ ...issue, path: issue.path.replace("/tags", "/tag") })));
  const q = query.q?.trim() || undefined;
  if (q !== undefined && (q.length > MAX_QUERY_TEXT || q.includes("\u0000"))) {
    issues.push({ path: "/q", message: `must be at most ${MAX_QUERY_TEXT} characters of text` });
  }
  const instant = (value: string | undefined, path: string) => {
    if (value === undefined) return undefined;
    const parsed = parseInstant(value);
    if (!parsed) issues.push({ path, message: "must be an ISO 8601 date-time with offset" });
    return parsed?.toISOString();
  };
  const filter: ListFilter = {
    status,
    priority: query.priority,
    tags,
    q,
    dueBefore: instant(query.dueBefore, "/dueBefore"),
    dueAfter: instant(query.dueAfter, "/dueAfter"),
    overdue: query.overdue ?? false,
    sort,
    order,
    limit,
  };
  if (issues.length > 0) {
    throw new AppError(400, "invalid_query", issues.map((issue) => `${issue.path.slice(1)}: ${issue.message}`).join("; "), issues);
  }
  return filter;
}

/**
 * What a cursor is bound to: the sort, order and filters of the list it came
 * from (not the page size, which may change from page to page).
 */
export function listFingerprint(filter: ListFilter): string {
  const { limit: _limit, ...bound } = filter;
  const tags = [...bound.tags].sort();
  // A cryptographic hash so the value is the same on every replica and runtime version.
  return new Bun.CryptoHasher("sha256").update(JSON.stringify({ ...bound, tags })).digest("base64url").slice(0, 16);
}
