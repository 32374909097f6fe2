import { DaprError, EtagMismatchError } from "./errors.ts";
import type { DaprClient } from "./types.ts";

/** The new value of an item (with its TTL), "delete", or undefined to leave it as it is. */
export type EtagChange<T> = { value: T; ttlInSeconds?: number } | "delete" | undefined;

export interface EtagUpdateOptions {
  maxAttempts?: number;
  /** Work that must be done before the item is written (it runs alongside the first read). */
  beforeWrite?: Promise<unknown>;
}

/**
 * Read-modify-write of one Dapr state item under optimistic concurrency:
 * the write carries the ETag it read (`first-write`, since some stores ignore
 * an ETag under last-write; without an ETag it only inserts), and a lost race
 * re-reads and applies `change` again. So concurrent writers (deliveries of
 * several partitions, several replicas) never overwrite each other.
 * Resolves true when it wrote.
 */
export async function updateWithEtag<T>(
  dapr: DaprClient,
  stateStore: string,
  key: string,
  change: (current: T | undefined) => EtagChange<T>,
  options: EtagUpdateOptions = {},
): Promise<boolean> {
  const maxAttempts = options.maxAttempts ?? 50;
  for (let attempt = 1; ; attempt++) {
    const entry = await dapr.getState<T>(stateStore, key);
    const next = change(entry?.value);
    if (next === undefined) return false;
    await options.beforeWrite;
    try {
      if (next === "delete") {
        if (entry) await dapr.deleteState(stateStore, key, entry.etag === undefined ? {} : { etag: entry.etag });
      } else {
        await dapr.saveState(stateStore, [
          {
            key,
            value: next.value,
            concurrency: "first-write",
            ...(entry?.etag === undefined ? {} : { etag: entry.etag }),
            ...(next.ttlInSeconds === undefined ? {} : { ttlInSeconds: next.ttlInSeconds }),
          },
        ]);
      }
      return true;
    } catch (error) {
      if (!lostRace(error) || attempt >= maxAttempts) throw error;
      // Jitter keeps writers that collided from colliding again in lockstep.
      await Bun.sleep(Math.random() * Math.min(2 ** attempt, 50));
    }
  }
}

/**
 * A save with a stale ETag is a 409; an insert (first-write, no ETag) of a key
 * someone else just created is reported as a plain failure by some stores
 * (Redis, the embedded runtime: 500 "already exists"), so the message decides.
 */
function lostRace(error: unknown): boolean {
  if (error instanceof EtagMismatchError) return true;
  return error instanceof DaprError && /etag|already exists/i.test(error.message);
}
