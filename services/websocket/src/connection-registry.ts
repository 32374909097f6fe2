import type { DaprClient } from "@todo/common";
import { updateWithEtag } from "./etag-update.ts";

/**
 * Which replicas hold open connections of a user, in Dapr state
 * (`connections:<userId>` -> { instanceId: { count, seenAt } }), so that a
 * replica seeing a reminder fire can tell whether any tab anywhere will show
 * it. Each replica writes only its own entry, always with its true local
 * count, and refreshes it on a heartbeat: a replica that died stops
 * refreshing and its entry goes stale instead of counting forever.
 */
export type Presence = Record<string, { count: number; seenAt: number }>;

/** `presence` with this instance's entry set to `count` (removed at 0) and stale entries of others dropped. */
export function withInstanceCount(presence: Presence, instanceId: string, count: number, now: number, staleAfterMs: number): Presence {
  const next: Presence = {};
  for (const [instance, entry] of Object.entries(presence)) {
    if (instance !== instanceId && entry.count > 0 && isFresh(entry, now, staleAfterMs)) next[instance] = entry;
  }
  if (count > 0) next[instanceId] = { count, seenAt: now };
  return next;
}

/** Open connections on other, live instances. */
export function connectionsElsewhere(presence: Presence, instanceId: string, now: number, staleAfterMs: number): number {
  let total = 0;
  for (const [instance, entry] of Object.entries(presence)) {
    if (instance !== instanceId && isFresh(entry, now, staleAfterMs)) total += Math.max(0, entry.count);
  }
  return total;
}

function isFresh(entry: { seenAt: number }, now: number, staleAfterMs: number): boolean {
  return entry.seenAt > now - staleAfterMs;
}

export interface ConnectionRegistryOptions {
  dapr: DaprClient;
  stateStore: string;
  instanceId: string;
  now: () => number;
  staleAfterMs: number;
}

export const presenceKey = (userId: string) => `connections:${userId}`;

export function createConnectionRegistry(options: ConnectionRegistryOptions) {
  const { dapr, stateStore, instanceId, now, staleAfterMs } = options;
  // The item outlives a refresh interval or two, then Dapr drops what nobody refreshed.
  const ttlInSeconds = Math.ceil((staleAfterMs * 2) / 1000);
  return {
    /** Writes this instance's count for the user; `count` is called per attempt, so a retried write is never stale. */
    async record(userId: string, count: () => number): Promise<void> {
      await updateWithEtag<Presence>(dapr, stateStore, presenceKey(userId), (current) => {
        const next = withInstanceCount(current ?? {}, instanceId, count(), now(), staleAfterMs);
        if (Object.keys(next).length === 0) return current === undefined ? undefined : "delete";
        return { value: next, ttlInSeconds };
      });
    },
    async connectionsElsewhere(userId: string): Promise<number> {
      const entry = await dapr.getState<Presence>(stateStore, presenceKey(userId));
      return connectionsElsewhere(entry?.value ?? {}, instanceId, now(), staleAfterMs);
    },
  };
}

export type ConnectionRegistry = ReturnType<typeof createConnectionRegistry>;
