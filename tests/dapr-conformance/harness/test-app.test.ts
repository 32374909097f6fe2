import { afterEach, describe, expect, test } from "bun:test";
import { createTestApp, routeFor, type TestApp } from "./test-app.ts";
import { waitFor } from "@todo/testkit";

let app: TestApp | undefined;

afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const deliver = (target: TestApp, topic: string, event: unknown) =>
  fetch(target.url + routeFor(topic), {
    method: "POST",
    headers: { "content-type": "application/cloudevents+json" },
    body: JSON.stringify(event),
  });

describe("conformance test app", () => {
  test("declares its subscriptions with the pubsub name and a route per topic", async () => {
    app = createTestApp({ subscriptions: [{ topic: "a" }, { topic: "b", deadLetterTopic: "b-dlt" }] });
    const response = await fetch(`${app.url}/dapr/subscribe`);
    expect(await response.json()).toEqual([
      { pubsubname: "pubsub", topic: "a", route: "/events/a" },
      { pubsubname: "pubsub", topic: "b", deadLetterTopic: "b-dlt", route: "/events/b" },
    ]);
  });

  test("answers each attempt of an event as its data scripts it and records the attempts", async () => {
    app = createTestApp({ subscriptions: [{ topic: "t" }] });
    const event = { id: "e1", data: { script: ["RETRY", "500", "SUCCESS"] } };

    const first = await deliver(app, "t", event);
    expect(await first.json()).toEqual({ status: "RETRY" });
    expect((await deliver(app, "t", event)).status).toBe(500);
    expect(await (await deliver(app, "t", event)).json()).toEqual({ status: "SUCCESS" });
    expect(app.deliveriesOfEvent("t", "e1").map((d) => [d.attempt, d.reply])).toEqual([
      [1, "RETRY"],
      [2, "500"],
      [3, "SUCCESS"],
    ]);
  });

  test("holds deliveries until released, then answers SUCCESS", async () => {
    app = createTestApp({ subscriptions: [{ topic: "t" }] });
    app.holdDeliveries();
    const pending = deliver(app, "t", { id: "held", data: {} });
    await waitFor(() => app?.heldCount === 1, { timeoutMs: 1000, message: "the held delivery" });

    app.releaseDeliveries();
    expect(await (await pending).json()).toEqual({ status: "SUCCESS" });
    expect(app.heldCount).toBe(0);
  });

  test("records job triggers and answers them with the scripted status", async () => {
    app = createTestApp({ subscriptions: [] });
    app.scriptJob("j", (_trigger, attempt) => (attempt === 1 ? 500 : 200));
    const post = () => fetch(`${app?.url}/job/j`, { method: "POST", body: JSON.stringify({ a: 1 }) });

    expect((await post()).status).toBe(500);
    expect((await post()).status).toBe(200);
    expect(app.triggersOf("j").map((t) => t.body)).toEqual([{ a: 1 }, { a: 1 }]);
  });

  test("echoes an invocation with the requested status", async () => {
    app = createTestApp({ subscriptions: [] });
    const response = await fetch(`${app.url}/echo/x?q=1`, {
      method: "PATCH",
      headers: { "x-echo-status": "202", "x-test": "v" },
      body: "hi",
    });
    expect(response.status).toBe(202);
    const echo = (await response.json()) as { method: string; path: string; query: unknown; body: string; headers: Record<string, string> };
    expect([echo.method, echo.path, echo.query, echo.body, echo.headers["x-test"]]).toEqual([
      "PATCH",
      "/echo/x",
      { q: "1" },
      "hi",
      "v",
    ]);
  });
});
