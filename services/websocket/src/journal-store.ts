import type { DaprClient } from "@todo/common";
import { updateWithEtag } from "./etag-update.ts";
import type { EventJson } from "./event-json.ts";
import { appendToJournal, type JournalEntry, type JournalLimits } from "./journal.ts";

export interface JournalStoreOptions {
  dapr: DaprClient;
  stateStore: string;
  limits: JournalLimits;
  now: () => number;
}

export const journalKey = (userId: string) => `journal:${userId}`;

/**
 * The journal of one user is one Dapr state item (`journal:<userId>`, oldest
 * first). Appends go through an ETag check, so concurrent deliveries and
 * replicas each land exactly once, in the order they committed.
 */
export function createJournalStore(options: JournalStoreOptions) {
  const { dapr, stateStore, limits, now } = options;
  // Nobody can replay from an item older than the age bound: let Dapr drop a quiet user's journal.
  const ttlInSeconds = Math.ceil(limits.maxAgeMs / 1000);
  return {
    /** Resolves false when the journal already held the event. */
    append(userId: string, event: EventJson): Promise<boolean> {
      return updateWithEtag<JournalEntry[]>(dapr, stateStore, journalKey(userId), (current) => {
        const next = appendToJournal(current ?? [], event, now(), limits);
        return next && { value: next, ttlInSeconds };
      });
    },
    async read(userId: string): Promise<JournalEntry[]> {
      return (await dapr.getState<JournalEntry[]>(stateStore, journalKey(userId)))?.value ?? [];
    },
  };
}

export type JournalStore = ReturnType<typeof createJournalStore>;
