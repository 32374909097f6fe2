import { AppError, notFound, UUID_PATTERN, type Logger, type Task } from "@todo/common";
import type { Database, Queryable } from "@todo/common/db";
import { appendToOutbox } from "../outbox/outbox-store.ts";
import { decodeCursor, encodeCursor } from "./task-cursor.ts";
import { eventsForChange, type TaskChange } from "./task-events.ts";
import { listFingerprint, normaliseListQuery, type TaskListQuery } from "./task-query.ts";
import {
  applyPatch,
  changedFields,
  completed,
  deleted,
  nextVersion,
  normaliseNewTask,
  reopened,
  withSeries,
  type NewTaskInput,
  type TaskInput,
} from "./task-rules.ts";
import {
  findOccurrence,
  findSeriesOwner,
  findTask,
  findUserTimeZone,
  insertOccurrence,
  insertTask,
  listTasks,
  saveTask,
} from "./task-store.ts";

export interface TaskServiceDeps {
  db: Database;
  /** Told after each commit that wrote outbox rows, so the relay publishes without waiting for its next poll. */
  outbox: { notify(): void };
  now: () => Date;
  logger: Logger;
}

export interface TaskPage {
  items: Task[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** The next task of a series, as the recurring-task service asks for it. */
export interface OccurrenceInput extends NewTaskInput {
  userId: string;
  seriesId: string;
  occurrence: number;
}

export interface TaskService {
  create(userId: string, input: NewTaskInput): Promise<Task>;
  get(userId: string, id: string): Promise<Task>;
  list(userId: string, query: TaskListQuery): Promise<TaskPage>;
  /** On every change, `expectedVersion` (If-Match) makes it a 409 when the task has moved on. */
  update(userId: string, id: string, patch: TaskInput, expectedVersion?: number): Promise<Task>;
  complete(userId: string, id: string, expectedVersion?: number): Promise<Task>;
  reopen(userId: string, id: string, expectedVersion?: number): Promise<Task>;
  remove(userId: string, id: string, expectedVersion?: number): Promise<void>;
  /** Idempotent on (seriesId, occurrence): a repeat returns the task already in that slot with `created: false`. */
  createOccurrence(input: OccurrenceInput): Promise<{ task: Task; created: boolean }>;
}

const UUID = new RegExp(UUID_PATTERN);
const taskNotFound = () => notFound("task");

/**
 * The one writer of tasks. Each mutation validates, decides (task-rules),
 * then writes the row and its events (task-events) to the outbox in one
 * transaction, and wakes the relay once committed. A change that changes
 * nothing writes nothing and publishes nothing.
 */
export function createTaskService(deps: TaskServiceDeps): TaskService {
  const { db, now, logger } = deps;

  /** Runs `work` in a transaction; the change it reports is written to the outbox in that same transaction. */
  async function commit<T>(work: (tx: Queryable, at: Date) => Promise<{ result: T; change?: TaskChange }>): Promise<T> {
    const at = now();
    const { result, change } = await db.transaction(async (tx) => {
      const outcome = await work(tx, at);
      if (outcome.change) await appendToOutbox(tx, eventsForChange(outcome.change, at));
      return outcome;
    });
    if (change) {
      deps.outbox.notify();
      logger.debug("task changed", { taskId: change.task.id, change: change.kind, version: change.task.version });
    }
    return result;
  }

  /**
   * The caller's live task, locked until the transaction ends; 404 when
   * missing, deleted or someone else's, 409 when it is not at `expectedVersion`.
   */
  async function load(tx: Queryable, userId: string, id: string, expectedVersion?: number): Promise<Task> {
    const task = UUID.test(id) ? await findTask(tx, userId, id, { forUpdate: true }) : undefined;
    if (!task) throw taskNotFound();
    if (expectedVersion !== undefined && task.version !== expectedVersion) {
      throw new AppError(409, "version_conflict", `task is at version ${task.version}, not ${expectedVersion}`, {
        currentVersion: task.version,
      });
    }
    return task;
  }

  async function save(tx: Queryable, task: Task, before: Task): Promise<void> {
    // The row is locked (FOR UPDATE), so this only fails if the lock was not taken: a bug, not a conflict.
    if (!(await saveTask(tx, task, before.version))) throw new Error(`task ${task.id} changed under a row lock`);
  }

  return {
    create(userId, input) {
      return commit(async (tx, at) => {
        const fields = normaliseNewTask(input, at);
        // The owner's zone now: a recurrence follows the wall clock the user saw when creating it.
        const timeZone = (await findUserTimeZone(tx, userId)) ?? "UTC";
        const stamp = at.toISOString();
        const task = withSeries({
          id: Bun.randomUUIDv7(),
          userId,
          ...fields,
          status: "pending",
          seriesId: null,
          occurrence: null,
          timeZone,
          version: 1,
          createdAt: stamp,
          updatedAt: stamp,
          completedAt: null,
          deletedAt: null,
        });
        await insertTask(tx, task);
        return { result: task, change: { kind: "created", task } };
      });
    },

    async get(userId, id) {
      const task = UUID.test(id) ? await findTask(db, userId, id) : undefined;
      if (!task) throw taskNotFound();
      return task;
    },

    async list(userId, query) {
      const filter = normaliseListQuery(query);
      const fingerprint = listFingerprint(filter);
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, filter.sort, fingerprint);
      const rows = await listTasks(db, userId, filter, after, now());
      const page = rows.slice(0, filter.limit);
      const last = page.at(-1);
      return {
        items: page.map((row) => row.task),
        nextCursor: rows.length > filter.limit && last ? encodeCursor({ key: last.key, id: last.task.id }, fingerprint) : null,
      };
    },

    update(userId, id, patch, expectedVersion) {
      return commit(async (tx, at) => {
        const before = await load(tx, userId, id, expectedVersion);
        const candidate = withSeries({ ...before, ...applyPatch(before, patch, at) });
        const changed = changedFields(before, candidate);
        if (changed.length === 0) return { result: before };
        const task = nextVersion(candidate, at);
        await save(tx, task, before);
        return { result: task, change: { kind: "updated", before, task, changed } };
      });
    },

    complete(userId, id, expectedVersion) {
      return commit(async (tx, at) => {
        const before = await load(tx, userId, id, expectedVersion);
        const next = completed(before, at);
        if (!next) return { result: before };
        const task = nextVersion(next, at);
        await save(tx, task, before);
        return { result: task, change: { kind: "completed", before, task } };
      });
    },

    reopen(userId, id, expectedVersion) {
      return commit(async (tx, at) => {
        const before = await load(tx, userId, id, expectedVersion);
        const next = reopened(before);
        if (!next) return { result: before };
        const task = nextVersion(next, at);
        await save(tx, task, before);
        return { result: task, change: { kind: "updated", before, task, changed: changedFields(before, task) } };
      });
    },

    remove(userId, id, expectedVersion) {
      return commit(async (tx, at) => {
        const before = await load(tx, userId, id, expectedVersion);
        const task = nextVersion(deleted(before, at), at);
        await save(tx, task, before);
        return { result: undefined, change: { kind: "deleted", before, task } };
      });
    },

    async createOccurrence(input): Promise<{ task: Task; created: boolean }> {
      const { userId, seriesId, occurrence, ...fields } = input;
      if (!UUID.test(seriesId)) throw notFound("series");
      if (!UUID.test(userId)) throw notFound("series");
      if (!Number.isInteger(occurrence) || occurrence < 0) {
        throw new AppError(422, "invalid_task", "occurrence must be a whole number >= 0", [{ path: "/occurrence", message: "must be >= 0" }]);
      }
      return commit<{ task: Task; created: boolean }>(async (tx, at) => {
        // A series belongs to the owner of its anchor; anyone else's series id is as unknown as a missing one.
        const series = await findSeriesOwner(tx, seriesId);
        if (series?.userId !== userId) throw notFound("series");
        const existing = await findOccurrence(tx, seriesId, occurrence);
        if (existing) return { result: { task: existing, created: false } };
        // The recurring service computes the next dates from the series, so a reminder already behind us is kept, not refused.
        const normalised = normaliseNewTask(fields, at, { allowPastReminder: true });
        const stamp = at.toISOString();
        const task: Task = {
          id: Bun.randomUUIDv7(),
          userId,
          ...normalised,
          status: "pending",
          seriesId,
          occurrence,
          // Every occurrence recurs on the anchor's clock, whatever the owner's zone is today.
          timeZone: series.timeZone,
          version: 1,
          createdAt: stamp,
          updatedAt: stamp,
          completedAt: null,
          deletedAt: null,
        };
        if (!(await insertOccurrence(tx, task))) {
          // A concurrent request filled the slot first (PostgreSQL waited for its commit): answer with its task.
          const winner = await findOccurrence(tx, seriesId, occurrence);
          if (!winner) throw new Error(`occurrence ${occurrence} of series ${seriesId} conflicted but cannot be read`);
          return { result: { task: winner, created: false } };
        }
        return { result: { task, created: true }, change: { kind: "created", task } };
      });
    },
  };
}
