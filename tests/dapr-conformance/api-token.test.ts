/**
 * API tokens (dapr-http-contract.md §7): DAPR_API_TOKEN guards the sidecar's
 * API (health checks excepted); APP_API_TOKEN is sent on every call to the app.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createConformanceRun, type SidecarUnderTest } from "./harness/conformance-run.ts";
import { publishOk } from "./harness/dapr-api.ts";
import { waitFor } from "@todo/testkit";

// Sidecar start-up and broker round trips outlast bun's 5 s default.
setDefaultTimeout(30_000);

const run = createConformanceRun();
const { profile, names } = run;
const topic = names.name("token");
const daprApiToken = `dapr-${crypto.randomUUID()}`;
const appApiToken = `app-${crypto.randomUUID()}`;
let under: SidecarUnderTest;

beforeAll(async () => {
  under = await run.startSidecar({
    appId: names.name("conf-token"),
    subscriptions: [{ topic }],
    daprApiToken,
    appApiToken,
  });
}, 30_000);

afterAll(() => run.cleanup(), 30_000);

describe("API tokens", () => {
  test("API calls without the token, or with a wrong one, answer 401", async () => {
    const calls: Array<[string, string]> = [
      ["GET", "/v1.0/metadata"],
      ["GET", `/v1.0/state/${profile.components.state}/${names.name("k")}`],
      ["POST", `/v1.0/publish/${profile.components.pubsub}/${topic}`],
      ["GET", `/v1.0/secrets/${profile.components.secrets}/${profile.secret.name}`],
      ["GET", `/v1.0-alpha1/jobs/${names.name("job")}`],
      ["GET", `/v1.0/invoke/${under.appId}/method/echo`],
    ];
    for (const [method, path] of calls) {
      const without = await under.dapr.request(method, path, { token: null, json: method === "POST" ? {} : undefined });
      expect({ method, path, status: without.status }).toEqual({ method, path, status: 401 });
      const wrong = await under.dapr.request(method, path, { token: "wrong", json: method === "POST" ? {} : undefined });
      expect({ method, path, status: wrong.status }).toEqual({ method, path, status: 401 });
    }
  });

  test("with the token the same API answers normally", async () => {
    expect((await under.dapr.request("GET", "/v1.0/metadata")).status).toBe(200);
    expect((await under.dapr.request("GET", `/v1.0/state/${profile.components.state}/${names.name("k")}`)).status).toBe(
      204,
    );
  });

  test("health checks answer 204 without the token", async () => {
    expect((await under.dapr.request("GET", "/v1.0/healthz", { token: null })).status).toBe(204);
    expect((await under.dapr.request("GET", "/v1.0/healthz/outbound", { token: null })).status).toBe(204);
  });

  test("the app receives APP_API_TOKEN on /dapr/subscribe, deliveries, job triggers and invocations", async () => {
    const subscribeCall = under.app.calls.find((call) => call.path === "/dapr/subscribe");
    expect(subscribeCall?.headers["dapr-api-token"]).toBe(appApiToken);

    const marker = crypto.randomUUID();
    await publishOk(under.dapr, profile.components.pubsub, topic, { marker });
    const delivery = await waitFor(
      () => under.app.deliveriesOf(topic).find((d) => (d.event.data as { marker?: string })?.marker === marker),
      { timeoutMs: profile.deliveryTimeoutMs, message: "the delivery to the token-protected app" },
    );
    expect(delivery.headers["dapr-api-token"]).toBe(appApiToken);

    const job = names.name("token-job");
    const scheduled = await under.dapr.request("POST", `/v1.0-alpha1/jobs/${job}`, {
      json: { dueTime: new Date(Date.now() + 100).toISOString(), data: { job } },
    });
    expect(scheduled.status).toBe(204);
    const trigger = await waitFor(() => under.app.triggersOf(job)[0], { timeoutMs: 3_000, message: "the job trigger" });
    expect(trigger.headers["dapr-api-token"]).toBe(appApiToken);

    // The caller's own token is not forwarded; the app gets APP_API_TOKEN instead.
    const invoked = await under.dapr.request("GET", `/v1.0/invoke/${under.appId}/method/echo`);
    expect(invoked.status).toBe(200);
    const echo = (await invoked.json()) as { headers: Record<string, string> };
    expect(echo.headers["dapr-api-token"]).toBe(appApiToken);
  });
});
