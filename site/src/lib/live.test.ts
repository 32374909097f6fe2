import { describe, expect, test } from "bun:test";
import { liveUrl, nextResumeId, reconnectDelay } from "./live.ts";

describe("live connection", () => {
  test("reconnects after 0.5 s, doubling to at most 15 s, with ±25% jitter", () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3, 5, 10, 50].map((attempt) => reconnectDelay(attempt, middle))).toEqual([500, 1000, 2000, 4000, 15000, 15000, 15000]);
    expect(reconnectDelay(0, () => 0)).toBe(375);
    expect(reconnectDelay(0, () => 1)).toBe(625);
  });

  test("connects to /ws on the page's own origin, resuming after the last event", () => {
    expect(liveUrl("https://todo.example.com", "jwt", undefined)).toBe("wss://todo.example.com/ws?token=jwt");
    expect(liveUrl("http://localhost:8080", "jwt", "evt-7")).toBe("ws://localhost:8080/ws?token=jwt&after=evt-7");
  });

  test("resumes from catalogue events, never from a sync reset", () => {
    expect(nextResumeId(undefined, { id: "a", type: "todo.task.created.v1", data: {} })).toBe("a");
    expect(nextResumeId("a", { id: "reset-1", type: "todo.sync.reset.v1", data: {} })).toBe("a");
  });
});
