import { describe, expect, test } from "bun:test";
import { blankTask } from "@todo/testkit";
import type { Task } from "./api.ts";
import { DEFAULT_FILTERS, groupTasks, inView, matchesFilters, parseTags, readQuery, sortTasks, writeQuery } from "./board-query.ts";

const NOW = new Date(2026, 11, 2, 12, 0); // Wednesday 2 December 2026, noon local
const at = (days: number, hour = 9) => new Date(2026, 11, 2 + days, hour, 0).toISOString();
let next = 0;
function task(fields: Partial<Task>): Task {
  next++;
  const id = `00000000-0000-4000-8000-${String(next).padStart(12, "0")}`;
  return blankTask({ id, userId: "u", title: `task ${next}`, createdAt: at(-10), updatedAt: at(-10), ...fields });
}

describe("views", () => {
  const yesterday = task({ title: "late", dueAt: at(-1) });
  const today = task({ title: "today", dueAt: at(0, 18) });
  const tomorrow = task({ title: "tomorrow", dueAt: at(1) });
  const friday = task({ title: "friday", dueAt: at(2) });
  const undated = task({ title: "someday", tags: ["home"] });
  const done = task({ title: "done", status: "completed", dueAt: at(0), completedAt: at(0) });
  const all = [yesterday, today, tomorrow, friday, undated, done];
  const titles = (view: Parameters<typeof inView>[1]) => all.filter((t) => inView(t, view, NOW)).map((t) => t.title);

  test("Today is open work due by tonight, overdue included; Upcoming is later; All is every open task", () => {
    expect(titles("today")).toEqual(["late", "today"]);
    expect(titles("upcoming")).toEqual(["tomorrow", "friday"]);
    expect(titles("all")).toEqual(["late", "today", "tomorrow", "friday", "someday"]);
    expect(titles("completed")).toEqual(["done"]);
    expect(titles("tag:home")).toEqual(["someday"]);
  });

  test("Today groups into Overdue and Today; Upcoming groups by day", () => {
    const todayGroups = groupTasks(sortTasks([today, yesterday], "today", ""), "today", NOW);
    expect(todayGroups.map((g) => [g.title, g.tasks.map((t) => t.title)])).toEqual([
      ["Overdue", ["late"]],
      ["Today", ["today"]],
    ]);
    const upcoming = groupTasks(sortTasks([friday, tomorrow], "upcoming", ""), "upcoming", NOW);
    expect(upcoming.map((g) => g.title)).toEqual(["Tomorrow", "Friday"]);
  });
});

describe("filters", () => {
  test("search needs every word, '-word' excludes, tags count", () => {
    const rent = task({ title: "Pay rent", description: "to the landlord", tags: ["home"] });
    expect(matchesFilters(rent, { ...DEFAULT_FILTERS, q: "rent landlord" }, NOW)).toBe(true);
    expect(matchesFilters(rent, { ...DEFAULT_FILTERS, q: "#home" }, NOW)).toBe(true);
    expect(matchesFilters(rent, { ...DEFAULT_FILTERS, q: "rent -landlord" }, NOW)).toBe(false);
  });

  test("a due range covers both picked local days", () => {
    const tomorrow = task({ dueAt: at(1, 23) });
    expect(matchesFilters(tomorrow, { ...DEFAULT_FILTERS, dueFrom: "2026-12-03", dueTo: "2026-12-03" }, NOW)).toBe(true);
    expect(matchesFilters(tomorrow, { ...DEFAULT_FILTERS, dueTo: "2026-12-02" }, NOW)).toBe(false);
  });
});

describe("the URL", () => {
  test("round-trips the view and filters, leaving defaults out", () => {
    const filters = { ...DEFAULT_FILTERS, q: "rent", priority: "high" as const, tags: "#Home", overdue: true, sort: "title" as const };
    const query = writeQuery("tag:home", filters);
    expect(query).toBe("?view=tag%3Ahome&q=rent&priority=high&tags=home&overdue=1&sort=title");
    expect(readQuery(query)).toEqual({ view: "tag:home", filters: { ...filters, tags: "home" } });
    expect(writeQuery("today", DEFAULT_FILTERS)).toBe("");
  });

  test("a hand-edited URL falls back to defaults instead of breaking", () => {
    expect(readQuery("?view=nope&priority=urgent&from=yesterday&sort=x")).toEqual({ view: "today", filters: DEFAULT_FILTERS });
  });

  test("tags are cleaned and de-duplicated", () => {
    expect(parseTags(" #Home,home  errands ")).toEqual(["home", "errands"]);
    expect(parseTags("")).toEqual([]);
  });
});
