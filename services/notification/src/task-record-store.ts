import { DaprError, DEFAULT_IDEMPOTENCY_TTL_SECONDS, EtagMismatchError, type DaprClient } from "@todo/common";
import type { TaskRecord } from "./task-record.ts";

/**
 * The state key of a task's record. Not `task||<id>`: daprd reserves "||"
 * (its key-prefix separator) and rejects keys containing it.
 */
export function taskRecordKey(taskId: string): string {
  return `task:${taskId}`;
}

export interface TaskRecordStore {
  read(taskId: string): Promise<TaskRecord | undefined>;
  /**
   * Applies `change` to the held record with optimistic concurrency: a
   * concurrent writer makes it re-read and apply `change` again, so no newer
   * version is ever lost. `change` returns undefined to leave the record as
   * it is. Resolves with the record now held.
   */
  update(taskId: string, change: (held: TaskRecord | undefined) => TaskRecord | undefined): Promise<TaskRecord | undefined>;
}

export interface TaskRecordStoreOptions {
  dapr: DaprClient;
  stateStore: string;
  /** How many lost races before giving up (the caller's delivery is retried then). */
  maxAttempts?: number;
  /** A deleted task's record outlives it this long, so late events still see the tombstone. */
  tombstoneTtlSeconds?: number;
}

export function createTaskRecordStore(options: TaskRecordStoreOptions): TaskRecordStore {
  const { dapr, stateStore } = options;
  const maxAttempts = options.maxAttempts ?? 10;
  const tombstoneTtlSeconds = options.tombstoneTtlSeconds ?? DEFAULT_IDEMPOTENCY_TTL_SECONDS;

  const read = async (taskId: string) => (await dapr.getState<TaskRecord>(stateStore, taskRecordKey(taskId)))?.value;

  return {
    read,
    async update(taskId, change) {
      const key = taskRecordKey(taskId);
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const held = await dapr.getState<TaskRecord>(stateStore, key);
        const next = change(held?.value);
        if (!next) return held?.value;
        try {
          await dapr.saveState(stateStore, [
            {
              key,
              value: next,
              // first-write: with an ETag, write only over that version; without one, only insert.
              concurrency: "first-write",
              ...(held?.etag === undefined ? {} : { etag: held.etag }),
              ...(next.deletedAt === null ? {} : { ttlInSeconds: tombstoneTtlSeconds }),
            },
          ]);
          return next;
        } catch (error) {
          if (error instanceof EtagMismatchError) continue;
          // daprd reports an insert that lost the race as a plain 500, not 409: look before retrying.
          if (held === undefined && error instanceof DaprError && (await read(taskId)) !== undefined) continue;
          throw error;
        }
      }
      throw new Error(`task record ${key}: still contended after ${maxAttempts} attempts`);
    },
  };
}
