import { describe, expect, test } from "bun:test";
import type { EventJson } from "./event-json.ts";
import { appendToJournal, entriesAfter, journalEntry, withinLimits, type JournalEntry, type JournalLimits } from "./journal.ts";

const HOUR = 60 * 60 * 1000;
const limits: JournalLimits = { maxEvents: 5, maxAgeMs: 24 * HOUR, maxBytes: 1024 * 1024 };
const event = (id: string, size = 0): EventJson => ({ id, type: "todo.task.updated.v1", data: { padding: "x".repeat(size) } });

/** Appends each id at its time and returns the journal. */
function journalOf(appends: [id: string, at: number][], bounds = limits, size = 0): JournalEntry[] {
  return appends.reduce<JournalEntry[]>(
    (entries, [id, at]) => appendToJournal(entries, [journalEntry(event(id, size), at)], at, bounds)?.entries ?? entries,
    [],
  );
}
const ids = (entries: readonly { id: string }[]) => entries.map((entry) => entry.id);

describe("journal bounds", () => {
  test("keeps events in the order they were appended", () => {
    expect(ids(journalOf([["a", 1], ["b", 2], ["c", 3]]))).toEqual(["a", "b", "c"]);
  });

  test("an event already in the journal is not appended again", () => {
    const entries = journalOf([["a", 1], ["b", 2]]);
    expect(appendToJournal(entries, [journalEntry(event("a"), 3)], 3, limits)).toBeUndefined();
  });

  test("a batch is appended in order, once per id, and reports what it added and what it pushed out", () => {
    const entries = journalOf([["a", 1], ["b", 2], ["c", 3], ["d", 4]]);
    const batch = ["c", "e", "f", "e"].map((id) => journalEntry(event(id), 5));
    const result = appendToJournal(entries, batch, 5, limits)!;
    expect(ids(result.entries)).toEqual(["b", "c", "d", "e", "f"]);
    expect(ids(result.added)).toEqual(["e", "f"]);
    expect(ids(result.trimmed)).toEqual(["a"]);
  });

  test("past the count limit the oldest events leave", () => {
    const appends = Array.from({ length: 8 }, (_, i): [string, number] => [`e${i}`, i]);
    expect(ids(journalOf(appends))).toEqual(["e3", "e4", "e5", "e6", "e7"]);
  });

  test("events older than the age limit leave on the next append", () => {
    const entries = journalOf([["old", 0], ["recent", 20 * HOUR], ["new", 24 * HOUR + 1]]);
    expect(ids(entries)).toEqual(["recent", "new"]);
  });

  test("past the size limit the oldest events leave, the newest always stays", () => {
    const small = { ...limits, maxBytes: 2500 };
    expect(ids(journalOf([["a", 1], ["b", 2], ["c", 3]], small, 1000))).toEqual(["b", "c"]);
    expect(ids(journalOf([["huge", 1]], { ...limits, maxBytes: 10 }, 1000))).toEqual([]);
  });

  test("trimming a journal within its limits changes nothing", () => {
    const entries = journalOf([["a", 1], ["b", 2]]);
    expect(withinLimits(entries, 3, limits)).toEqual(entries);
  });
});

describe("entries after an event id", () => {
  const entries = journalOf([["a", 1], ["b", 2], ["c", 3], ["d", 4]]);

  test("gives every later event, in journal order", () => {
    expect(ids(entriesAfter(entries, "b", 5, limits)!)).toEqual(["c", "d"]);
  });

  test("after the newest event there is nothing to replay", () => {
    expect(entriesAfter(entries, "d", 5, limits)).toEqual([]);
  });

  test("an id the journal does not hold asks for a reset", () => {
    expect(entriesAfter(entries, "unknown", 5, limits)).toBeUndefined();
    expect(entriesAfter([], "a", 5, limits)).toBeUndefined();
  });

  test("an id that aged out asks for a reset even before the next append trims it", () => {
    expect(entriesAfter(entries, "a", 24 * HOUR + 1, limits)).toBeUndefined();
    expect(ids(entriesAfter(entries, "b", 24 * HOUR + 1, limits)!)).toEqual(["c", "d"]);
  });
});
