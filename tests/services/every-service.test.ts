import { afterAll, describe, expect, test } from "bun:test";
import { createBackground, createMemoryLogger, type DaprClient, type ServiceDeps } from "@todo/common";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Registry } from "prom-client";
import type { Database } from "@todo/common/db";
import { testDatabases } from "@todo/common/db/testing";
import { hostedApps } from "../../services/embedded/src/hosted-apps.ts";

/**
 * Every service ships the same operational surface, so a new one cannot
 * forget it: health, readiness, metrics, and its subscriptions (if any) in
 * the Dapr programmatic format with a dead-letter topic.
 */
const sidecar = new Proxy({} as DaprClient, {
  get: (_, name) => {
    if (name === "healthy") return async () => true;
    // chat-api reads its signing key from the secret store at start.
    if (name === "getSecret") return async () => ({ "jwt-secret": "x".repeat(48) });
    return () => Promise.reject(new Error(`unexpected ${String(name)}`));
  },
});

const dataDir = mkdtempSync(join(tmpdir(), "todo-services-"));
const backgrounds: ReturnType<typeof createBackground>[] = [];
const [pglite] = testDatabases();
let database: Promise<Database> | undefined;
const host = (name: string) => ({ dataDir: join(dataDir, name), database: () => (database ??= pglite!.open()) });
afterAll(async () => {
  for (const background of backgrounds) await background.stop();
  if (database) await (await database).close();
  rmSync(dataDir, { recursive: true, force: true });
});

function deps(appApiToken?: string): ServiceDeps {
  const background = createBackground(createMemoryLogger());
  background.start();
  backgrounds.push(background);
  return {
    dapr: sidecar,
    logger: createMemoryLogger(),
    components: { pubsub: "pubsub", stateStore: "statestore", secretStore: "secretstore" },
    registry: new Registry(),
    appApiToken,
    background,
  };
}

const get = (appId: string, path: string) => new Request(`http://${appId}.app.local${path}`);

describe.each(hostedApps.map((hosted) => [hosted.appId, hosted] as const))("%s", (appId, hosted) => {
  test("answers /healthz, /readyz and /metrics", async () => {
    const app = await hosted.create(deps(), host(`${appId}-a`));
    expect((await app.handle(get(appId, "/healthz"))).status).toBe(200);
    expect((await app.handle(get(appId, "/readyz"))).status).toBe(200);
    const metrics = await app.handle(get(appId, "/metrics"));
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("# TYPE http_requests_total counter");
  });

  test("declares its subscriptions with routes it serves and a dead-letter topic", async () => {
    const app = await hosted.create(deps(), host(`${appId}-b`));
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
    const app = await hosted.create(deps("app-token-1"), host(`${appId}-c`));
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
    const app = await hosted.create(deps(), host(`${appId}-d`));
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
