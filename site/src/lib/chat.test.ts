import { describe, expect, test } from "bun:test";
import { describeAction } from "./chat.ts";

describe("chat actions as the panel shows them", () => {
  test("names the tool's effect and the task", () => {
    expect(describeAction({ tool: "add_task", result: { title: "Buy milk" } })).toBe("Added “Buy milk”");
    expect(describeAction({ tool: "complete_task", result: { title: "Pay rent" } })).toBe("Completed “Pay rent”");
    expect(describeAction({ tool: "delete_task", input: { id: "x" }, result: null })).toBe("Deleted");
  });

  test("counts listed tasks and shows failures", () => {
    expect(describeAction({ tool: "list_tasks", result: { items: [{}, {}] } })).toBe("Listed 2 tasks");
    expect(describeAction({ tool: "list_tasks", result: { items: [{}] } })).toBe("Listed 1 task");
    expect(describeAction({ tool: "update_task", error: { message: "task not found" } })).toBe("Failed: task not found");
  });
});
