import { describe, expect, test } from "bun:test";
import type { TaskSummary } from "../types.ts";
import { resolveTasks } from "./references.ts";

const TASKS: TaskSummary[] = [
  { id: "a", title: "Write report", status: "pending" },
  { id: "b", title: "Write blog post", status: "pending" },
  { id: "c", title: "Buy milk", status: "pending" },
  { id: "d", title: "Buy milk", status: "completed" },
];

describe("resolving a phrase to tasks", () => {
  test("ordinals index the last list shown", () => {
    const memory = { listed: ["c", "a", "b"] };
    expect(resolveTasks("the second one", memory, TASKS)).toEqual({ kind: "tasks", ids: ["a"] });
    expect(resolveTasks("#3", memory, TASKS)).toEqual({ kind: "tasks", ids: ["b"] });
    expect(resolveTasks("the last one", memory, TASKS)).toEqual({ kind: "tasks", ids: ["b"] });
    expect(resolveTasks("fifth", memory, TASKS)).toEqual({ kind: "none", phrase: "fifth" });
  });

  test("it is the one task last touched; with several it is ambiguous", () => {
    expect(resolveTasks("it", { touched: ["a"] }, TASKS)).toEqual({ kind: "tasks", ids: ["a"] });
    expect(resolveTasks("it", { touched: ["a", "b"] }, TASKS).kind).toBe("ambiguous");
    expect(resolveTasks("it", {}, TASKS).kind).toBe("none");
  });

  test("both needs exactly two", () => {
    expect(resolveTasks("both", { touched: ["a", "b"] }, TASKS)).toEqual({ kind: "tasks", ids: ["a", "b"] });
    expect(resolveTasks("both", { listed: ["a", "b", "c"] }, TASKS).kind).toBe("ambiguous");
  });

  test("titles match exactly, then by containment, then by shared words", () => {
    expect(resolveTasks("write report", {}, TASKS)).toEqual({ kind: "tasks", ids: ["a"] });
    expect(resolveTasks("blog", {}, TASKS)).toEqual({ kind: "tasks", ids: ["b"] });
    expect(resolveTasks("the report", {}, TASKS)).toEqual({ kind: "tasks", ids: ["a"] });
    const write = resolveTasks("write", {}, TASKS);
    expect(write.kind === "ambiguous" && write.candidates.map((task) => task.id)).toEqual(["a", "b"]);
    expect(resolveTasks("walk the dog", {}, TASKS).kind).toBe("none");
  });

  test("the preferred status breaks a tie between same-titled tasks", () => {
    expect(resolveTasks("buy milk", {}, TASKS, "pending")).toEqual({ kind: "tasks", ids: ["c"] });
    expect(resolveTasks("buy milk", {}, TASKS, "completed")).toEqual({ kind: "tasks", ids: ["d"] });
  });
});
