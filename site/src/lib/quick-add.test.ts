import { describe, expect, test } from "bun:test";
import { fieldsOf, previewChips, previewSentence, shouldPreview } from "./quick-add.ts";

// What POST /api/tasks/parse answers for "Pay rent tomorrow 9am #home !high" (Tuesday 2026-12-01 in UTC).
const PARSED = { title: "Pay rent", dueAt: "2026-12-02T09:00:00.000Z", tags: ["home"], priority: "high" as const };

describe("quick-add preview", () => {
  test("shows title, due time in the user's zone, priority and tags", () => {
    expect(previewChips(PARSED, "UTC")).toEqual([
      { label: "Title", text: "Pay rent" },
      { label: "Due", text: "Wed 2 Dec, 09:00" },
      { label: "Priority", text: "high" },
      { label: "Tags", text: "#home" },
    ]);
    expect(previewChips(PARSED, "Asia/Karachi")[1]).toEqual({ label: "Due", text: "Wed 2 Dec, 14:00" });
  });

  test("a recurring line shows the rule in words; priority none is not shown", () => {
    const chips = previewChips({ title: "Stand-up", recurrence: "FREQ=WEEKLY;BYDAY=MO,TU", priority: "none" }, "UTC");
    expect(chips).toEqual([
      { label: "Title", text: "Stand-up" },
      { label: "Repeats", text: "Every week on Mon, Tue" },
    ]);
  });

  test("each field shows the words of the line it came from; the task is created without them", () => {
    const parsed = { ...PARSED, words: { title: "Pay rent", dueAt: "tomorrow 9am", tags: "#home", priority: "!high" } };
    expect(previewChips(parsed, "UTC")).toEqual([
      { label: "Title", text: "Pay rent" },
      { label: "Due", text: "Wed 2 Dec, 09:00", from: "tomorrow 9am" },
      { label: "Priority", text: "high", from: "!high" },
      { label: "Tags", text: "#home" },
    ]);
    expect(previewSentence(previewChips(parsed, "UTC"))).toBe("Will add Pay rent, due Wed 2 Dec, 09:00 (from “tomorrow 9am”), priority high (from “!high”), tags #home.");
    expect(fieldsOf(parsed)).toEqual(PARSED);
  });

  test("reads as one sentence for screen readers", () => {
    expect(previewSentence(previewChips(PARSED, "UTC"))).toBe("Will add Pay rent, due Wed 2 Dec, 09:00, priority high, tags #home.");
    expect(previewSentence(previewChips({ title: "Buy milk" }))).toBe("Will add Buy milk.");
    expect(previewSentence([])).toBe("");
  });

  test("asks the server only about new, non-blank lines of sane length", () => {
    expect(shouldPreview("  ", undefined)).toBe(false);
    expect(shouldPreview("Pay rent", undefined)).toBe(true);
    expect(shouldPreview(" Pay rent ", "Pay rent")).toBe(false);
    expect(shouldPreview("x".repeat(501), undefined)).toBe(false);
  });
});
