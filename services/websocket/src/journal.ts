import type { EventJson } from "./event-json.ts";

/**
 * The per-user journal that replays what a tab missed. Pure rules over its
 * index here; the Dapr state I/O is in journal-store.ts.
 */
export interface JournalEntry {
  id: string;
  /** When it was appended (epoch ms): the age bound counts from here. */
  at: number;
  /** Size of the event's JSON, so trimming by size needs no re-serialising. */
  bytes: number;
}

export interface JournalLimits {
  maxEvents: number;
  maxAgeMs: number;
  /** What one replay may send at most (a tab that missed more refetches instead). */
  maxBytes: number;
}

export const DEFAULT_JOURNAL_LIMITS: JournalLimits = {
  maxEvents: 1000,
  maxAgeMs: 24 * 60 * 60 * 1000,
  maxBytes: 2 * 1024 * 1024,
};

export const journalEntry = (event: EventJson, now: number): JournalEntry => ({
  id: event.id,
  at: now,
  bytes: Buffer.byteLength(JSON.stringify(event)),
});

export interface JournalAppend {
  entries: JournalEntry[];
  /** Of the offered entries, those not in the journal before (in order). */
  added: JournalEntry[];
  /** Entries the bounds pushed out, oldest first. */
  trimmed: JournalEntry[];
}

/**
 * The journal with the new entries appended in order and the oldest trimmed;
 * undefined when it already held all of them (redeliveries, and every replica
 * appending the same event, must not repeat it).
 */
export function appendToJournal(
  entries: readonly JournalEntry[],
  offered: readonly JournalEntry[],
  now: number,
  limits: JournalLimits,
): JournalAppend | undefined {
  const known = new Set(entries.map((entry) => entry.id));
  const added: JournalEntry[] = [];
  for (const entry of offered) {
    if (known.has(entry.id)) continue;
    known.add(entry.id);
    added.push(entry);
  }
  if (added.length === 0) return undefined;
  const all = [...entries, ...added];
  const kept = withinLimits(all, now, limits);
  return { entries: kept, added, trimmed: all.slice(0, all.length - kept.length) };
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
 * Which entries a tab reconnecting with `?after=<id>` gets: every one after
 * that id, in journal order; or undefined (a reset) when the id is not (or no
 * longer) in the journal, since the tab may then have missed anything.
 */
export function entriesAfter(entries: readonly JournalEntry[], afterId: string, now: number, limits: JournalLimits): JournalEntry[] | undefined {
  const current = withinLimits(entries, now, limits);
  const index = current.findIndex((entry) => entry.id === afterId);
  return index < 0 ? undefined : current.slice(index + 1);
}
