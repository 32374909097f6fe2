import type { Task } from "@todo/common";
import type { Queryable } from "@todo/common/db";
import type { CursorPosition } from "./task-cursor.ts";
import type { ListFilter, SortField } from "./task-query.ts";

/**
 * All SQL of the tasks table. Every read is scoped to a user and skips
 * tombstones (deleted rows), except the series look-ups of the internal
 * occurrence route, which must see them so a slot is never filled twice.
 * Parameters are cast in SQL (timestamps as ISO text, tag lists as JSON
 * arrays) so both database adapters bind them the same way.
 */
const COLUMNS = `id, user_id, title, description, status, priority, tags, due_at, remind_at, recurrence,
  series_id, occurrence, time_zone, version, created_at, updated_at, completed_at, deleted_at`;

// Lists travel as JSON text (the adapters would bind a JS array differently) and become text[] in order.
const textArray = (param: string) => `ARRAY(SELECT jsonb_array_elements_text(${param}::text::jsonb))`;

interface TaskRow {
  id: string;
  user_id: string;
  title: string;
  description: string;
  status: Task["status"];
  priority: Task["priority"];
  tags: string[];
  due_at: Date | null;
  remind_at: Date | null;
  recurrence: string | null;
  series_id: string | null;
  occurrence: number | null;
  time_zone: string;
  version: number;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
  deleted_at: Date | null;
}

export async function findTask(db: Queryable, userId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<Task | undefined> {
  const rows = await db.query<TaskRow>(
    `SELECT ${COLUMNS} FROM tasks WHERE id = $1::uuid AND user_id = $2::uuid AND deleted_at IS NULL${options.forUpdate ? " FOR UPDATE" : ""}`,
    [id, userId],
  );
  return rows[0] && taskOf(rows[0]);
}

export async function insertTask(db: Queryable, task: Task): Promise<void> {
  await db.query(`INSERT INTO tasks (${COLUMNS}) VALUES (${insertPlaceholders})`, rowParams(task));
}

/** Inserts an occurrence of a series unless its slot is taken; false when it was. */
export async function insertOccurrence(db: Queryable, task: Task): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO tasks (${COLUMNS}) VALUES (${insertPlaceholders})
     ON CONFLICT (series_id, occurrence) WHERE series_id IS NOT NULL DO NOTHING RETURNING id`,
    rowParams(task),
  );
  return rows.length === 1;
}

/** The task in a series slot, tombstones included. */
export async function findOccurrence(db: Queryable, seriesId: string, occurrence: number): Promise<Task | undefined> {
  const rows = await db.query<TaskRow>(`SELECT ${COLUMNS} FROM tasks WHERE series_id = $1::uuid AND occurrence = $2`, [seriesId, occurrence]);
  return rows[0] && taskOf(rows[0]);
}

/**
 * Who owns the series and the time zone it recurs in: those of its anchor task
 * (the one whose id is the series id), even once deleted.
 */
export async function findSeriesOwner(db: Queryable, seriesId: string): Promise<{ userId: string; timeZone: string } | undefined> {
  const rows = await db.query<{ user_id: string; time_zone: string }>(
    "SELECT user_id, time_zone FROM tasks WHERE id = $1::uuid AND series_id = $1::uuid",
    [seriesId],
  );
  const row = rows[0];
  return row && { userId: row.user_id, timeZone: row.time_zone };
}

/** The owner's profile time zone, which a new task takes. */
export async function findUserTimeZone(db: Queryable, userId: string): Promise<string | undefined> {
  const rows = await db.query<{ time_zone: string }>("SELECT time_zone FROM users WHERE id = $1::uuid", [userId]);
  return rows[0]?.time_zone;
}

/** Writes the new state of a task if nobody changed it since `expectedVersion`; false otherwise. */
export async function saveTask(db: Queryable, task: Task, expectedVersion: number): Promise<boolean> {
  const rows = await db.query(
    `UPDATE tasks SET title = $3, description = $4, status = $5, priority = $6, tags = ${textArray("$7")},
       due_at = $8::timestamptz, remind_at = $9::timestamptz, recurrence = $10, series_id = $11::uuid, occurrence = $12,
       version = $13, updated_at = $14::timestamptz, completed_at = $15::timestamptz, deleted_at = $16::timestamptz
     WHERE id = $1::uuid AND version = $2 RETURNING id`,
    [
      task.id,
      expectedVersion,
      task.title,
      task.description,
      task.status,
      task.priority,
      JSON.stringify(task.tags),
      task.dueAt,
      task.remindAt,
      task.recurrence,
      task.seriesId,
      task.occurrence,
      task.version,
      task.updatedAt,
      task.completedAt,
      task.deletedAt,
    ],
  );
  return rows.length === 1;
}

/** Sort keys as SQL; titles compare lower-cased, code point by code point, the same on every server. */
const SORT_KEYS: Record<SortField, { expression: string; cast: string }> = {
  due: { expression: "due_at", cast: "timestamptz" },
  priority: { expression: "priority_rank", cast: "smallint" },
  title: { expression: 'lower(title) COLLATE "C"', cast: 'text COLLATE "C"' },
  created: { expression: "created_at", cast: "timestamptz" },
  updated: { expression: "updated_at", cast: "timestamptz" },
};

export interface ListedTask {
  task: Task;
  /** The row's sort key, as a cursor records it. */
  key: string | number | null;
}

/**
 * One page of keyset pagination: rows strictly after `after` in the order
 * (key, id), so rows inserted or changed elsewhere never shift the page
 * boundary. A due date that is NULL sorts last in both directions. Fetches
 * `limit + 1` rows so the caller knows whether another page follows.
 */
export async function listTasks(
  db: Queryable,
  userId: string,
  filter: ListFilter,
  after: CursorPosition | undefined,
  now: Date,
): Promise<ListedTask[]> {
  const params: unknown[] = [userId];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = ["user_id = $1::uuid", "deleted_at IS NULL"];
  if (filter.status !== "all") where.push(`status = ${param(filter.status)}`);
  if (filter.priority !== undefined) where.push(`priority = ${param(filter.priority)}`);
  if (filter.tags.length > 0) where.push(`tags @> ${textArray(param(JSON.stringify(filter.tags)))}`);
  if (filter.q !== undefined) {
    const q = param(filter.q);
    where.push(`search @@ (websearch_to_tsquery('english', ${q}) || websearch_to_tsquery('simple', ${q}))`);
  }
  if (filter.dueBefore !== undefined) where.push(`due_at < ${param(filter.dueBefore)}::timestamptz`);
  if (filter.dueAfter !== undefined) where.push(`due_at >= ${param(filter.dueAfter)}::timestamptz`);
  if (filter.overdue) where.push(`status = 'pending' AND due_at < ${param(now.toISOString())}::timestamptz`);

  const { expression, cast } = SORT_KEYS[filter.sort];
  const direction = filter.order === "asc" ? "ASC" : "DESC";
  const beyond = filter.order === "asc" ? ">" : "<";
  if (after) {
    const id = `${param(after.id)}::uuid`;
    if (after.key === null) {
      where.push(`(${expression} IS NULL AND id ${beyond} ${id})`);
    } else {
      const key = `${param(after.key)}::${cast}`;
      where.push(`((${expression}, id) ${beyond} (${key}, ${id}) OR ${expression} IS NULL)`);
    }
  }
  const rows = await db.query<TaskRow & { sort_key: Date | number | string | null }>(
    `SELECT ${COLUMNS}, ${expression} AS sort_key FROM tasks WHERE ${where.join(" AND ")}
     ORDER BY ${expression} ${direction} NULLS LAST, id ${direction} LIMIT ${param(filter.limit + 1)}`,
    params,
  );
  return rows.map((row) => ({ task: taskOf(row), key: row.sort_key instanceof Date ? row.sort_key.toISOString() : row.sort_key }));
}

const insertPlaceholders = [
  "$1::uuid",
  "$2::uuid",
  "$3",
  "$4",
  "$5",
  "$6",
  textArray("$7"),
  "$8::timestamptz",
  "$9::timestamptz",
  "$10",
  "$11::uuid",
  "$12",
  "$13",
  "$14",
  "$15::timestamptz",
  "$16::timestamptz",
  "$17::timestamptz",
  "$18::timestamptz",
].join(", ");

function rowParams(task: Task): unknown[] {
  return [
    task.id,
    task.userId,
    task.title,
    task.description,
    task.status,
    task.priority,
    JSON.stringify(task.tags),
    task.dueAt,
    task.remindAt,
    task.recurrence,
    task.seriesId,
    task.occurrence,
    task.timeZone ?? "UTC",
    task.version,
    task.createdAt,
    task.updatedAt,
    task.completedAt,
    task.deletedAt,
  ];
}

function taskOf(row: TaskRow): Task {
  return {
    id: row.id,
    userId: row.user_id,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    tags: row.tags,
    dueAt: isoOrNull(row.due_at),
    remindAt: isoOrNull(row.remind_at),
    recurrence: row.recurrence,
    seriesId: row.series_id,
    occurrence: row.occurrence,
    timeZone: row.time_zone,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    completedAt: isoOrNull(row.completed_at),
    deletedAt: isoOrNull(row.deleted_at),
  };
}

function isoOrNull(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}
