import { afterEach, expect, test } from "bun:test";
import { runtimeFixture, recorderApp, type RuntimeFixture } from "@todo/testkit";

let fixture: RuntimeFixture;
afterEach(async () => {
  await fixture.cleanup();
});

const subscriptions = [
  { pubsubname: "pubsub", topic: "task-events", route: "/events/tasks", deadLetterTopic: "task-events-dlq" },
  {
    pubsubname: "pubsub",
    topic: "reminder-events",
    routes: { rules: [{ match: 'event.type == "todo.reminder.triggered.v1"', path: "/events/triggered" }], default: "/events/reminders" },
  },
];

test("GET /v1.0/metadata describes the calling sidecar in daprd's shape", async () => {
  fixture = runtimeFixture();
  const runtime = fixture.runtime();
  runtime.registerApp(recorderApp("audit", subscriptions).channel, { port: 3001, protocol: "http", channelAddress: "127.0.0.1" });
  await runtime.start();
  const body = await (await runtime.sidecar("audit")(new Request("http://localhost/v1.0/metadata"))).json();
  expect(body).toMatchObject({
    id: "audit",
    runtimeVersion: expect.stringMatching(/^embedded-\d+\.\d+\.\d+/),
    enabledFeatures: [],
    appConnectionProperties: { port: 3001, protocol: "http", channelAddress: "127.0.0.1" },
    extended: {},
  });
  expect(body.components).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ name: "pubsub", type: "pubsub.embedded", version: "v1" }),
      expect.objectContaining({ name: "statestore", type: "state.embedded", version: "v1" }),
      expect.objectContaining({ name: "secretstore", type: "secretstores.embedded", version: "v1" }),
    ]),
  );
  expect(body.subscriptions).toEqual([
    { pubsubname: "pubsub", topic: "task-events", rules: [{ path: "/events/tasks" }], deadLetterTopic: "task-events-dlq", type: "PROGRAMMATIC" },
    {
      pubsubname: "pubsub",
      topic: "reminder-events",
      rules: [{ match: 'event.type == "todo.reminder.triggered.v1"', path: "/events/triggered" }, { path: "/events/reminders" }],
      deadLetterTopic: "",
      type: "PROGRAMMATIC",
    },
  ]);
});

test("PUT /v1.0/metadata/{key} sets an extended attribute of that sidecar", async () => {
  fixture = runtimeFixture();
  const runtime = fixture.runtime();
  await runtime.start();
  const sidecar = runtime.sidecar("audit");
  const put = await sidecar(new Request("http://localhost/v1.0/metadata/owner", { method: "PUT", body: "team-a" }));
  expect(put.status).toBe(204);
  expect((await (await sidecar(new Request("http://localhost/v1.0/metadata"))).json()).extended).toEqual({ owner: "team-a" });
  expect((await (await runtime.sidecar("chat-api")(new Request("http://localhost/v1.0/metadata"))).json()).extended).toEqual({});
});

test("runtime.metadata() lists every registered app with its subscriptions", async () => {
  fixture = runtimeFixture();
  const runtime = fixture.runtime();
  runtime.registerApp(recorderApp("audit", subscriptions).channel);
  runtime.registerApp(recorderApp("chat-api", new Response(null, { status: 404 })).channel);
  await runtime.start();
  const view = runtime.metadata() as { apps: { id: string; subscriptions: { topic: string }[] }[] };
  expect(view.apps.map((app) => [app.id, app.subscriptions.map((s) => s.topic)])).toEqual([
    ["audit", ["task-events", "reminder-events"]],
    ["chat-api", []],
  ]);
});
