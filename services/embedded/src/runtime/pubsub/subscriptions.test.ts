import { describe, expect, test } from "bun:test";
import { createMemoryLogger } from "@todo/common";
import { inProcessChannel } from "../app-channel.ts";
import { loadSubscriptions } from "./subscriptions.ts";

/** Reading GET /dapr/subscribe the way daprd does at start-up. */
const options = () => ({ pubsubNames: ["pubsub"], logger: createMemoryLogger() });
const appAnswering = (response: () => Response) => inProcessChannel("audit", () => response());

describe("GET /dapr/subscribe", () => {
  test("404 means no subscriptions, without a warning", async () => {
    const opts = options();
    expect(await loadSubscriptions(appAnswering(() => new Response(null, { status: 404 })), opts)).toEqual([]);
    expect(opts.logger.records.filter((r) => r.level === "warn")).toEqual([]);
  });

  test("another error status or a body that is not a JSON array means none, with a warning", async () => {
    for (const response of [() => new Response("oops", { status: 500 }), () => Response.json({ not: "an array" }), () => new Response("<html>")]) {
      const opts = options();
      expect(await loadSubscriptions(appAnswering(response), opts)).toEqual([]);
      expect(opts.logger.records.some((r) => r.level === "warn")).toBe(true);
    }
  });

  test("entries without a route or with an unknown pubsub are discarded; the rest load", async () => {
    const opts = options();
    const subs = await loadSubscriptions(
      appAnswering(() =>
        Response.json([
          { pubsubname: "pubsub", topic: "no-route" },
          { pubsubname: "kafka", topic: "elsewhere", route: "/e" },
          { pubsubName: "pubsub", Topic: "task-events", route: "events/tasks", bulkSubscribe: { enabled: true } },
        ]),
      ),
      opts,
    );
    expect(subs.map((s) => [s.topic, s.rules.map((r) => r.path)])).toEqual([["task-events", ["events/tasks"]]]);
    expect(opts.logger.records.filter((r) => r.level === "warn")).toHaveLength(2);
  });

  test("routes.default wins over the legacy route and comes after the rules", async () => {
    const subs = await loadSubscriptions(
      appAnswering(() =>
        Response.json([
          {
            pubsubname: "pubsub",
            topic: "t",
            route: "/legacy",
            routes: { rules: [{ match: "event.source == 'chat-api'", path: "/chat" }], default: "/default" },
          },
        ]),
      ),
      options(),
    );
    const rules = subs[0]?.rules ?? [];
    expect(rules.map((r) => r.path)).toEqual(["/chat", "/default"]);
    expect(rules[0]?.matches({ source: "chat-api" })).toBe(true);
    expect(rules[0]?.matches({ source: "audit" })).toBe(false);
  });
});
