/**
 * Health and metadata endpoints (dapr-http-contract.md §7).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createConformanceRun, type SidecarUnderTest } from "./harness/conformance-run.ts";
import { jsonOf } from "./harness/dapr-api.ts";

// Sidecar start-up and broker round trips outlast bun's 5 s default.
setDefaultTimeout(30_000);

const run = createConformanceRun();
const { profile, names } = run;
const topics = { plain: names.name("meta"), withDlt: names.name("meta-source"), dlt: names.name("meta-dlt") };
let under: SidecarUnderTest;

beforeAll(async () => {
  under = await run.startSidecar({
    appId: names.name("conf-metadata"),
    subscriptions: [{ topic: topics.plain }, { topic: topics.withDlt, deadLetterTopic: topics.dlt }],
  });
}, 30_000);

afterAll(() => run.cleanup(), 30_000);

interface Metadata {
  id?: string;
  components?: Array<{ name?: string; type?: string }>;
  subscriptions?: Array<{ pubsubname?: string; topic?: string; deadLetterTopic?: string }>;
}

describe("health and metadata", () => {
  test("GET /v1.0/healthz and /v1.0/healthz/outbound answer 204", async () => {
    expect((await under.dapr.request("GET", "/v1.0/healthz")).status).toBe(204);
    expect((await under.dapr.request("GET", "/v1.0/healthz/outbound")).status).toBe(204);
  });

  test("the sidecar read the app's subscriptions from GET /dapr/subscribe", () => {
    expect(under.app.calls.some((call) => call.method === "GET" && call.path === "/dapr/subscribe")).toBe(true);
  });

  test("metadata names the app and lists its subscriptions and components", async () => {
    const response = await under.dapr.request("GET", "/v1.0/metadata");
    expect(response.status).toBe(200);
    const metadata = await jsonOf<Metadata>(response);
    expect(metadata.id).toBe(under.appId);

    const subscriptions = metadata.subscriptions ?? [];
    const plain = subscriptions.find((s) => s.topic === topics.plain);
    const withDlt = subscriptions.find((s) => s.topic === topics.withDlt);
    expect(plain?.pubsubname).toBe(profile.components.pubsub);
    expect(plain?.deadLetterTopic ?? "").toBe("");
    expect(withDlt?.pubsubname).toBe(profile.components.pubsub);
    expect(withDlt?.deadLetterTopic).toBe(topics.dlt);

    const components = new Map((metadata.components ?? []).map((c) => [c.name, c.type ?? ""]));
    expect(components.get(profile.components.pubsub)).toStartWith("pubsub.");
    expect(components.get(profile.components.state)).toStartWith("state.");
    expect(components.get(profile.components.secrets)).toStartWith("secretstores.");
  });
});
