import { afterEach, describe, expect, test } from "bun:test";
import { waitFor } from "@todo/testkit";
import { publishRequest, runtimeFixture, recorderApp, type RuntimeFixture } from "@todo/testkit";

/** Publish and bulk publish answers, as daprd gives them. */
let fixture: RuntimeFixture;
afterEach(async () => {
  await fixture.cleanup();
});

async function sidecarWith(...apps: ReturnType<typeof recorderApp>[]) {
  fixture = runtimeFixture();
  const runtime = fixture.runtime();
  for (const app of apps) runtime.registerApp(app.channel);
  await runtime.start();
  return runtime.sidecar("chat-api");
}

const bulk = (path: string, entries: unknown, query = "") =>
  new Request(`http://localhost${path}${query}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(entries),
  });

describe("publish", () => {
  test("an unknown pubsub answers 404 ERR_PUBSUB_NOT_FOUND", async () => {
    const sidecar = await sidecarWith();
    const response = await sidecar(new Request("http://localhost/v1.0/publish/kafka/t", { method: "POST", body: "x" }));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ errorCode: "ERR_PUBSUB_NOT_FOUND" });
  });

  test("an own CloudEvent that is not a JSON object answers 400", async () => {
    const sidecar = await sidecarWith();
    const response = await sidecar(publishRequest("t", "not json", { contentType: "application/cloudevents+json" }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errorCode: "ERR_PUBSUB_CLOUD_EVENTS_SER" });
  });

  test("a bad ttlInSeconds answers 400", async () => {
    const sidecar = await sidecarWith();
    const response = await sidecar(publishRequest("t", {}, { query: "metadata.ttlInSeconds=abc" }));
    expect(response.status).toBe(400);
  });

  test("PUT publishes too; topics may contain slashes", async () => {
    const app = recorderApp("audit", [{ pubsubname: "pubsub", topic: "tenant/a/tasks", route: "/e" }]);
    const sidecar = await sidecarWith(app);
    const response = await sidecar(
      new Request("http://localhost/v1.0/publish/pubsub/tenant/a/tasks", { method: "PUT", headers: { "content-type": "application/json" }, body: "{}" }),
    );
    expect(response.status).toBe(204);
    await waitFor(() => app.deliveries.length === 1);
    expect(app.deliveries[0]?.event.topic).toBe("tenant/a/tasks");
  });
});

describe("bulk publish", () => {
  for (const path of ["/v1.0-alpha1/publish/bulk/pubsub/t", "/v1.0/publish/bulk/pubsub/t"]) {
    test(`${path} wraps and delivers every entry`, async () => {
      const app = recorderApp("audit", [{ pubsubname: "pubsub", topic: "t", route: "/e" }]);
      const sidecar = await sidecarWith(app);
      const response = await sidecar(
        bulk(path, [
          { entryId: "1", event: { n: 1 }, contentType: "application/json" },
          { entryId: "2", event: "two", contentType: "text/plain" },
          { entryId: "3", event: { id: "own", type: "x.v1", source: "s", data: 3 }, contentType: "application/cloudevents+json" },
        ]),
      );
      expect(response.status).toBe(204);
      await waitFor(() => app.deliveries.length === 3);
      const events = app.deliveries.map((d) => d.event);
      expect(events.map((e) => e.data).sort()).toEqual([3, "two", { n: 1 }].sort());
      expect(events.find((e) => e.data === 3)?.id).toBe("own");
    });
  }

  test("a missing or duplicated entryId answers 400 and publishes nothing", async () => {
    const app = recorderApp("audit", [{ pubsubname: "pubsub", topic: "t", route: "/e" }]);
    const sidecar = await sidecarWith(app);
    const path = "/v1.0-alpha1/publish/bulk/pubsub/t";
    expect((await sidecar(bulk(path, [{ entryId: "1", event: 1 }, { entryId: "1", event: 2 }]))).status).toBe(400);
    expect((await sidecar(bulk(path, [{ event: 1 }]))).status).toBe(400);
    expect((await sidecar(bulk(path, { entryId: "1" }))).status).toBe(400);
    // A later good publish is the only thing delivered.
    expect((await sidecar(bulk(path, [{ entryId: "ok", event: { ok: true } }]))).status).toBe(204);
    await waitFor(() => app.deliveries.length === 1);
    expect(app.deliveries[0]?.event.data).toEqual({ ok: true });
  });
});
