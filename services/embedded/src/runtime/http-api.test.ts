import { afterEach, describe, expect, test } from "bun:test";
import { runtimeFixture, recorderApp, type RuntimeFixture } from "@todo/testkit";

/** The sidecar router: authentication, health and unknown paths. */
let fixture: RuntimeFixture;
afterEach(async () => {
  await fixture.cleanup();
});

const get = (path: string, headers: Record<string, string> = {}) => new Request(`http://localhost${path}`, { headers });

describe("DAPR_API_TOKEN", () => {
  test("every call without the token answers 401 in plain text, except the GET health probes", async () => {
    fixture = runtimeFixture();
    const runtime = fixture.runtime({ daprApiToken: "s3cret" });
    await runtime.start();
    const sidecar = runtime.sidecar("chat-api");

    const refused = await sidecar(get("/v1.0/metadata"));
    expect(refused.status).toBe(401);
    expect(refused.headers.get("content-type")).toStartWith("text/plain");
    expect(await refused.text()).toBe("invalid api token");
    expect((await sidecar(get("/v1.0/metadata", { "dapr-api-token": "wrong" }))).status).toBe(401);
    expect((await sidecar(new Request("http://localhost/v1.0/publish/pubsub/t", { method: "POST", body: "{}" }))).status).toBe(401);

    expect((await sidecar(get("/v1.0/healthz"))).status).toBe(204);
    expect((await sidecar(get("/v1.0/healthz/outbound"))).status).toBe(204);
    expect((await sidecar(get("/v1.0/metadata", { "dapr-api-token": "s3cret" }))).status).toBe(200);
  });

  test("without a configured token no header is needed", async () => {
    fixture = runtimeFixture();
    const runtime = fixture.runtime();
    await runtime.start();
    expect((await runtime.sidecar("chat-api")(get("/v1.0/metadata"))).status).toBe(200);
  });
});

test("another local sidecar's internal token admits forwarded invocations only", async () => {
  fixture = runtimeFixture();
  const runtime = fixture.runtime({ daprApiToken: "s3cret", internalToken: "hop-token" });
  runtime.registerApp(recorderApp("audit", []).channel);
  await runtime.start();
  const sidecar = runtime.sidecar("audit");
  const hop = { "dapr-internal-token": "hop-token" };
  // The in-process test app answers a non-subscription path by recording it, so 200 means "reached the app".
  const invoked = await sidecar(
    new Request("http://localhost/v1.0/invoke/audit/method/x", { method: "POST", headers: hop, body: "{}" }),
  );
  expect(invoked.status).toBe(200);
  expect((await sidecar(get("/v1.0/metadata", hop))).status).toBe(401);
});

describe("health", () => {
  test("healthz answers 500 until start() has loaded the subscriptions; outbound answers 204 before", async () => {
    fixture = runtimeFixture();
    const runtime = fixture.runtime();
    const subscribed = Promise.withResolvers<Response>();
    const app = recorderApp("audit", []);
    const slowApp = {
      appId: "audit",
      call: (path: string, init?: RequestInit) => (path === "/dapr/subscribe" ? subscribed.promise : app.channel.call(path, init)),
    };
    runtime.registerApp(slowApp);
    const sidecar = runtime.sidecar("audit");
    const starting = runtime.start();

    expect((await sidecar(get("/v1.0/healthz"))).status).toBe(500);
    expect((await sidecar(get("/v1.0/healthz/outbound"))).status).toBe(204);
    subscribed.resolve(Response.json([]));
    await starting;
    expect((await sidecar(get("/v1.0/healthz"))).status).toBe(204);

    await runtime.stop();
    expect((await sidecar(get("/v1.0/healthz"))).status).toBe(500);
    expect((await sidecar(get("/v1.0/healthz/outbound"))).status).toBe(500);
  });
});

test("an unknown API path answers 404 with a Dapr error body", async () => {
  fixture = runtimeFixture();
  const runtime = fixture.runtime();
  const response = await runtime.sidecar("chat-api")(get("/v1.0/nothing-here"));
  expect(response.status).toBe(404);
  expect(await response.json()).toMatchObject({ errorCode: expect.stringMatching(/^ERR_/) });
});

test("state, secrets and jobs are served under the calling app's sidecar", async () => {
  fixture = runtimeFixture();
  const runtime = fixture.runtime({ env: { SECRET_JWT_SECRET: "from-env" } });
  await runtime.start();
  const chat = runtime.sidecar("chat-api");
  const audit = runtime.sidecar("audit");
  const save = await chat(
    new Request("http://localhost/v1.0/state/statestore", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ key: "k", value: { v: 1 } }]),
    }),
  );
  expect(save.status).toBe(204);
  expect(await (await chat(get("/v1.0/state/statestore/k"))).json()).toEqual({ v: 1 });
  // Keys are prefixed with the app id: another app does not see them.
  expect((await audit(get("/v1.0/state/statestore/k"))).status).toBe(204);

  expect(await (await chat(get("/v1.0/secrets/secretstore/jwt-secret"))).json()).toEqual({ "jwt-secret": "from-env" });
  expect((await chat(get("/v1.0-alpha1/jobs/missing"))).status).toBe(500);
});
