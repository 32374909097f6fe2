import type { EventJson } from "./event-json.ts";

/**
 * The per-user journal that replays what a tab missed. Pure rules here; the
 * Dapr state I/O is in journal-store.ts.
 */
export interface JournalEntry {
  id: string;
  /** When it was appended (epoch ms): the age bound counts from here. */
  at: number;
  /** Size of the event's JSON, so trimming by size needs no re-serialising. */
  bytes: number;
  event: EventJson;
}

export interface JournalLimits {
  maxEvents: number;
  maxAgeMs: number;
  /**
   * The journal is one state item, and a state write is capped (daprd's
   * default request body limit is 4 MiB): events with long descriptions
   * must not make the next append fail.
   */
  maxBytes: number;
}

export const DEFAULT_JOURNAL_LIMITS: JournalLimits = {
  maxEvents: 1000,
  maxAgeMs: 24 * 60 * 60 * 1000,
  maxBytes: 2 * 1024 * 1024,
};

/** The journal with `event` appended and the oldest entries trimmed; undefined when it already holds the event. */
export function appendToJournal(
  entries: readonly JournalEntry[],
  event: EventJson,
  now: number,
  limits: JournalLimits,
): JournalEntry[] | undefined {
  // Redeliveries, and every replica appending the same event, must not repeat it.
  if (entries.some((entry) => entry.id === event.id)) return undefined;
  const entry: JournalEntry = { id: event.id, at: now, bytes: Buffer.byteLength(JSON.stringify(event)), event };
  return withinLimits([...entries, entry], now, limits);
}

/** Drops entries from the oldest end until count, age and size are all within the limits. */
export function withinLimits(entries: readonly JournalEntry[], now: number, limits: JournalLimits): JournalEntry[] {
  let bytes = entries.reduce((sum, entry) => sum + entry.bytes, 0);
  let start = 0;
  while (start < entries.length) {
    const oldest = entries[start]!;
    const tooMany = entries.length - start > limits.maxEvents;
    const tooOld = oldest.at <= now - limits.maxAgeMs;
    const tooBig = bytes > limits.maxBytes;
    if (!tooMany && !tooOld && !tooBig) break;
    bytes -= oldest.bytes;
    start++;
  }
  return entries.slice(start);
}

export type Replay = { kind: "events"; events: EventJson[] } | { kind: "reset"; reason: string };

export const REPLAY_GAP = "replay-gap";

/**
 * What a tab reconnecting with `?after=<id>` gets: every event after that id,
 * in journal order; or a reset when the id is not (or no longer) in the
 * journal, since the tab may then have missed anything.
 */
export function replayAfter(entries: readonly JournalEntry[], afterId: string, now: number, limits: JournalLimits): Replay {
  const current = withinLimits(entries, now, limits);
  const index = current.findIndex((entry) => entry.id === afterId);
  if (index < 0) return { kind: "reset", reason: REPLAY_GAP };
  return { kind: "events", events: current.slice(index + 1).map((entry) => entry.event) };
}
