import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { services } from "@todo/embedded/services";
import { createServiceHost } from "@todo/testkit/service-host";

/**
 * Every service ships the same operational surface, so a new one cannot
 * forget it: health, readiness, metrics, and its subscriptions (if any) in
 * the Dapr programmatic format with a dead-letter topic.
 */
const serviceHost = createServiceHost();
afterAll(() => serviceHost.close());
const deps = (appApiToken?: string) => serviceHost.deps({ appApiToken });

const get = (appId: string, path: string) => new Request(`http://${appId}.app.local${path}`);

describe.each(services.map((service) => [service.appId, service] as const))("%s", (appId, service) => {
  test("answers /healthz, /readyz and /metrics", async () => {
    const app = await service.createApp(deps(), serviceHost.context());
    expect((await app.handle(get(appId, "/healthz"))).status).toBe(200);
    expect((await app.handle(get(appId, "/readyz"))).status).toBe(200);
    const metrics = await app.handle(get(appId, "/metrics"));
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("# TYPE http_requests_total counter");
  });

  test("declares its subscriptions with routes it serves and a dead-letter topic", async () => {
    const app = await service.createApp(deps(), serviceHost.context());
    const response = await app.handle(get(appId, "/dapr/subscribe"));
    if (appId === "chat-api") {
      expect(response.status).toBe(404); // chat-api publishes; it consumes nothing
      return;
    }
    expect(response.status).toBe(200);
    const subscriptions: { pubsubname: string; topic: string; route: string; deadLetterTopic?: string }[] =
      await response.json();
    expect(subscriptions.length).toBeGreaterThan(0);
    for (const subscription of subscriptions) {
      expect(subscription.pubsubname).toBe("pubsub");
      expect(subscription.deadLetterTopic).toBe(`${appId}-dead-letters`);
      // A malformed event on the route is dropped (to the dead letter), never a 404 or a crash.
      const delivery = await app.handle(
        new Request(`http://${appId}.app.local${subscription.route}`, {
          method: "POST",
          headers: { "content-type": "application/cloudevents+json" },
          body: "{not json",
        }),
      );
      expect(delivery.status).toBe(200);
      expect(await delivery.json()).toEqual({ status: "DROP" });
    }
  });

  test("refuses Dapr-facing calls without the app API token when one is configured", async () => {
    const app = await service.createApp(deps("app-token-1"), serviceHost.context());
    const withoutToken = await app.handle(get(appId, "/dapr/subscribe"));
    const withToken = await app.handle(
      new Request(`http://${appId}.app.local/dapr/subscribe`, { headers: { "dapr-api-token": "app-token-1" } }),
    );
    if (appId === "chat-api") {
      expect(withToken.status).toBe(404);
      return;
    }
    expect(withoutToken.status).toBe(401);
    expect(withToken.status).toBe(200);
    // Health probes carry no token and must still pass.
    expect((await app.handle(get(appId, "/healthz"))).status).toBe(200);
  });

  test("its Subscription YAML under dapr/subscriptions matches what it declares in code", async () => {
    const app = await service.createApp(deps(), serviceHost.context());
    const response = await app.handle(get(appId, "/dapr/subscribe"));
    const inCode = response.status === 404 ? [] : ((await response.json()) as Record<string, string>[]);
    const file = Bun.file(join(import.meta.dir, "../../dapr/subscriptions", `${appId}.yaml`));
    const documents = (await file.exists()) ? [Bun.YAML.parse(await file.text())].flat() : [];
    const inYaml = (documents as { spec: Record<string, any>; scopes: string[] }[]).map(({ spec, scopes }) => {
      expect(scopes).toEqual([appId]);
      return { pubsubname: spec.pubsubname, topic: spec.topic, route: spec.routes.default, deadLetterTopic: spec.deadLetterTopic };
    });
    const byTopic = (list: Record<string, string>[]) => [...list].sort((a, b) => a.topic!.localeCompare(b.topic!));
    expect(byTopic(inYaml)).toEqual(byTopic(inCode));
  });
});
