import { describe, expect, test } from "bun:test";
import { createBackground } from "./background.ts";
import { createMemoryLogger } from "./logger.ts";

describe("background tasks", () => {
  test("start when the host starts them and stop in reverse order", async () => {
    const events: string[] = [];
    const background = createBackground(createMemoryLogger());
    const task = (name: string) => ({
      start: () => void events.push(`start ${name}`),
      stop: async () => void events.push(`stop ${name}`),
    });
    background.add("database", task("database"));
    background.add("relay", task("relay"));
    expect(events).toEqual([]); // registering never starts work
    background.start();
    await background.stop();
    expect(events).toEqual(["start database", "start relay", "stop relay", "stop database"]);
  });

  test("a task added after start starts at once; a name is taken once", () => {
    const background = createBackground(createMemoryLogger());
    let started = false;
    background.start();
    background.add("late", { start: () => void (started = true), stop: async () => {} });
    expect(started).toBe(true);
    expect(() => background.add("late", { start: () => {}, stop: async () => {} })).toThrow(/twice/);
  });
});
