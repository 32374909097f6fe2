import { describe, expect, test } from "bun:test";
import { DEFAULT_FILTERS, parseTags, taskQuery } from "./board-query.ts";

describe("board filters -> GET /api/tasks query", () => {
  test("the default board lists pending tasks, newest first", () => {
    expect(taskQuery(DEFAULT_FILTERS)).toBe("status=pending&sort=created&limit=100");
  });

  test("every filter becomes its query parameter", () => {
    const query = new URLSearchParams(
      taskQuery({ ...DEFAULT_FILTERS, status: "all", priority: "high", tags: "#home, Work", overdue: true, q: " rent ", sort: "due" }),
    );
    expect(query.get("status")).toBe("all");
    expect(query.get("priority")).toBe("high");
    expect(query.getAll("tag")).toEqual(["home", "work"]);
    expect(query.get("overdue")).toBe("true");
    expect(query.get("q")).toBe("rent");
    expect(query.get("sort")).toBe("due");
  });

  test("a due range covers both picked days in local time", () => {
    const query = new URLSearchParams(taskQuery({ ...DEFAULT_FILTERS, dueFrom: "2026-03-01", dueTo: "2026-03-02" }));
    expect(query.get("dueAfter")).toBe(new Date(2026, 2, 1).toISOString());
    expect(query.get("dueBefore")).toBe(new Date(2026, 2, 3).toISOString());
  });

  test("tags are cleaned and de-duplicated", () => {
    expect(parseTags(" #Home,home  errands ")).toEqual(["home", "errands"]);
    expect(parseTags("")).toEqual([]);
  });
});
