import type { DaprClient } from "@todo/common";
import { updateWithEtag } from "./etag-update.ts";
import type { EventJson } from "./event-json.ts";
import { appendToJournal, entriesAfter, journalEntry, REPLAY_GAP, type JournalEntry, type JournalLimits, type Replay } from "./journal.ts";

export interface JournalStoreOptions {
  dapr: DaprClient;
  stateStore: string;
  limits: JournalLimits;
  now: () => number;
}

/** The user's index: ids in journal order, with the time and size each bound needs. */
export const journalIndexKey = (userId: string) => `journal-index:${userId}`;
/** One journaled event. */
export const journalEventKey = (userId: string, eventId: string) => `journal-event:${userId}:${eventId}`;

interface JournalIndex {
  entries: JournalEntry[];
}

/** An event item outlives its index entry by this much, so an entry still in the index always finds its event. */
const EVENT_TTL_MARGIN_SECONDS = 60 * 60;
/** Users whose trimmed items wait in memory for their next append; past this, items are left to their TTL. */
const MAX_USERS_WITH_TRIMMED = 10_000;

/**
 * The journal of one user is a small index item (`journal-index:<userId>`:
 * ids, times, sizes, oldest first) plus one item per event
 * (`journal-event:<userId>:<eventId>`). An append writes the events' items,
 * then appends their ids to the index under an ETag check, so concurrent
 * deliveries and replicas each land exactly once, in the order they
 * committed; a crash between the two leaves an item the redelivery writes
 * again. Each append moves the index and the new events, however long the
 * journal is (one item holding the whole journal moved up to 2 MiB per event).
 */
export function createJournalStore(options: JournalStoreOptions) {
  const { dapr, stateStore, limits, now } = options;
  // Nobody can replay from an item older than the age bound: let Dapr drop a quiet user's journal.
  const indexTtlSeconds = Math.ceil(limits.maxAgeMs / 1000);
  const eventTtlSeconds = indexTtlSeconds + EVENT_TTL_MARGIN_SECONDS;
  // Items of entries the bounds pushed out, deleted in the user's next append's transaction (one call
  // fewer per append); lost on a restart, they expire with their TTL.
  const trimmedByUser = new Map<string, string[]>();

  function takeTrimmed(userId: string): string[] {
    const ids = trimmedByUser.get(userId) ?? [];
    trimmedByUser.delete(userId);
    return ids;
  }

  function rememberTrimmed(userId: string, ids: readonly string[]) {
    if (ids.length === 0 || (trimmedByUser.size >= MAX_USERS_WITH_TRIMMED && !trimmedByUser.has(userId))) return;
    trimmedByUser.set(userId, [...(trimmedByUser.get(userId) ?? []), ...ids]);
  }

  /** Writes the events' items and deletes those trimmed before, in one call. */
  function writeItems(userId: string, events: readonly EventJson[]): Promise<void> {
    const trimmed = takeTrimmed(userId);
    const written = dapr.transaction(stateStore, [
      ...trimmed.map((id) => ({ operation: "delete" as const, request: { key: journalEventKey(userId, id) } })),
      ...events.map((event) => ({
        operation: "upsert" as const,
        request: { key: journalEventKey(userId, event.id), value: event, ttlInSeconds: eventTtlSeconds },
      })),
    ]);
    // Awaited before the index is written; until then a failure must not count as unhandled.
    written.catch(() => rememberTrimmed(userId, trimmed));
    return written;
  }

  return {
    /** Appends the events (in order) the journal does not hold yet; resolves with those it appended. */
    async append(userId: string, events: readonly EventJson[]): Promise<EventJson[]> {
      if (events.length === 0) return [];
      const itemsWritten = writeItems(userId, events);
      let appended: ReturnType<typeof appendToJournal>;
      await updateWithEtag<JournalIndex>(
        dapr,
        stateStore,
        journalIndexKey(userId),
        (current) => {
          const at = now();
          appended = appendToJournal(
            current?.entries ?? [],
            events.map((event) => journalEntry(event, at)),
            at,
            limits,
          );
          return appended && { value: { entries: appended.entries }, ttlInSeconds: indexTtlSeconds };
        },
        { beforeWrite: itemsWritten },
      );
      await itemsWritten;
      if (!appended) return [];
      rememberTrimmed(
        userId,
        appended.trimmed.map((entry) => entry.id),
      );
      const added = new Set(appended.added.map((entry) => entry.id));
      return events.filter((event) => added.has(event.id));
    },

    /** What a tab reconnecting with `?after=<afterId>` gets (see entriesAfter). */
    async replay(userId: string, afterId: string): Promise<Replay> {
      const index = await dapr.getState<JournalIndex>(stateStore, journalIndexKey(userId));
      const entries = entriesAfter(index?.value.entries ?? [], afterId, now(), limits);
      if (!entries) return { kind: "reset", reason: REPLAY_GAP };
      if (entries.length === 0) return { kind: "events", events: [] };
      const items = await dapr.getBulkState<EventJson>(
        stateStore,
        entries.map((entry) => journalEventKey(userId, entry.id)),
      );
      const events = items.map((item) => item.value);
      // An event item gone early (deleted by hand, a store that lost data): the tab cannot be brought up to date by replay.
      if (events.some((event) => event === undefined)) return { kind: "reset", reason: REPLAY_GAP };
      return { kind: "events", events: events as EventJson[] };
    },
  };
}

export type JournalStore = ReturnType<typeof createJournalStore>;
