import { describe, expect, test } from "bun:test";
import type { EventJson } from "./event-json.ts";
import { appendToJournal, replayAfter, withinLimits, type JournalEntry, type JournalLimits } from "./journal.ts";

const HOUR = 60 * 60 * 1000;
const limits: JournalLimits = { maxEvents: 5, maxAgeMs: 24 * HOUR, maxBytes: 1024 * 1024 };
const event = (id: string, size = 0): EventJson => ({ id, type: "todo.task.updated.v1", data: { padding: "x".repeat(size) } });

/** Appends each id at its time and returns the journal. */
function journalOf(appends: [id: string, at: number][], bounds = limits, size = 0): JournalEntry[] {
  return appends.reduce<JournalEntry[]>((entries, [id, at]) => appendToJournal(entries, event(id, size), at, bounds) ?? entries, []);
}
const ids = (entries: readonly { id: string }[]) => entries.map((entry) => entry.id);

describe("journal bounds", () => {
  test("keeps events in the order they were appended", () => {
    expect(ids(journalOf([["a", 1], ["b", 2], ["c", 3]]))).toEqual(["a", "b", "c"]);
  });

  test("an event already in the journal is not appended again", () => {
    const entries = journalOf([["a", 1], ["b", 2]]);
    expect(appendToJournal(entries, event("a"), 3, limits)).toBeUndefined();
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

describe("replay after an event id", () => {
  const entries = journalOf([["a", 1], ["b", 2], ["c", 3], ["d", 4]]);

  test("gives every later event, in journal order", () => {
    expect(replayAfter(entries, "b", 5, limits)).toEqual({ kind: "events", events: [event("c"), event("d")] });
  });

  test("after the newest event there is nothing to replay", () => {
    expect(replayAfter(entries, "d", 5, limits)).toEqual({ kind: "events", events: [] });
  });

  test("an id the journal does not hold asks for a reset", () => {
    expect(replayAfter(entries, "unknown", 5, limits)).toEqual({ kind: "reset", reason: "replay-gap" });
    expect(replayAfter([], "a", 5, limits).kind).toBe("reset");
  });

  test("an id that aged out asks for a reset even before the next append trims it", () => {
    expect(replayAfter(entries, "a", 24 * HOUR + 1, limits).kind).toBe("reset");
    expect(replayAfter(entries, "b", 24 * HOUR + 1, limits)).toEqual({ kind: "events", events: [event("c"), event("d")] });
  });
});
