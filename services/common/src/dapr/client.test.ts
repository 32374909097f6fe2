import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { CloudEvent } from "cloudevents";
import { createDaprClient } from "./client.ts";
import {
  DaprError,
  DaprNotFoundError,
  DaprUnauthorizedError,
  DaprUnavailableError,
  EtagMismatchError,
} from "./errors.ts";
import type { DaprClientOptions } from "./types.ts";

/** What the fake daprd saw: the exact wire request. */
interface Recorded {
  method: string;
  /** Raw (still percent-encoded) path. */
  path: string;
  query: Record<string, string>;
  headers: Headers;
  body: string;
}

type Script = (request: Recorded) => Response | Promise<Response>;

let server: ReturnType<typeof Bun.serve>;
const seen: Recorded[] = [];
let script: Script;

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const recorded: Recorded = {
        method: request.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: request.headers,
        body: await request.text(),
      };
      seen.push(recorded);
      return script(recorded);
    },
  });
});

afterAll(() => server.stop(true));

beforeEach(() => {
  seen.length = 0;
  script = () => new Response(null, { status: 204 });
});

function client(options: Partial<DaprClientOptions> = {}) {
  return createDaprClient({ baseUrl: `http://127.0.0.1:${server.port}/`, ...options });
}

function answer(response: () => Response) {
  script = response;
}

function daprReply(status: number, errorCode: string, message: string) {
  return () => Response.json({ errorCode, message }, { status });
}

function onlyRequest(): Recorded {
  expect(seen).toHaveLength(1);
  return seen[0]!;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => error,
  );
}

describe("publish", () => {
  test("a plain object goes out as JSON with the partition key, metadata, trace context and API token", async () => {
    await client({ apiToken: "s3cret" }).publish(
      "pubsub",
      "task-events",
      { taskId: "t1", big: "9007199254740993" },
      { partitionKey: "t1", metadata: { ttlInSeconds: "60" }, traceparent: "00-abc-def-01" },
    );

    const request = onlyRequest();
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/v1.0/publish/pubsub/task-events");
    expect(request.query).toEqual({ "metadata.partitionKey": "t1", "metadata.ttlInSeconds": "60" });
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(request.headers.get("dapr-api-token")).toBe("s3cret");
    expect(request.headers.get("traceparent")).toBe("00-abc-def-01");
    expect(JSON.parse(request.body)).toEqual({ taskId: "t1", big: "9007199254740993" });
  });

  test("a CloudEvent is passed through as application/cloudevents+json so daprd keeps our id, type, source and time", async () => {
    const event = new CloudEvent({
      id: "0190a1b2-0000-7000-8000-000000000001",
      type: "todo.task.created.v1",
      source: "/chat-api",
      subject: "t1",
      time: "2026-01-02T03:04:05.000Z",
      data: { userId: "u1", version: 1 },
    });
    await client().publish("pubsub", "task-events", event, { partitionKey: "t1" });

    const request = onlyRequest();
    expect(request.headers.get("content-type")).toBe("application/cloudevents+json");
    expect(JSON.parse(request.body)).toMatchObject({
      specversion: "1.0",
      id: "0190a1b2-0000-7000-8000-000000000001",
      type: "todo.task.created.v1",
      source: "/chat-api",
      subject: "t1",
      time: "2026-01-02T03:04:05.000Z",
      data: { userId: "u1", version: 1 },
    });
  });

  test("a plain object shaped as a CloudEvent is also sent as a CloudEvent", async () => {
    await client().publish("pubsub", "task-events", { specversion: "1.0", id: "e1", type: "t.v1", source: "/s" });
    expect(onlyRequest().headers.get("content-type")).toBe("application/cloudevents+json");
  });

  test("each topic segment is encoded, strings go as text/plain and an explicit content type wins", async () => {
    await client().publish("my pubsub", "orders/eu west", "hello");
    await client().publish("pubsub", "raw", "<x/>", { contentType: "application/xml" });

    expect(seen[0]!.path).toBe("/v1.0/publish/my%20pubsub/orders/eu%20west");
    expect(seen[0]!.headers.get("content-type")).toBe("text/plain");
    expect(seen[0]!.body).toBe("hello");
    expect(seen[1]!.headers.get("content-type")).toBe("application/xml");
    expect(seen[1]!.body).toBe("<x/>");
  });

  test("no API token header is sent when none is configured", async () => {
    await client().publish("pubsub", "t", {});
    expect(onlyRequest().headers.has("dapr-api-token")).toBe(false);
  });

  test("an unknown pubsub surfaces as DaprNotFoundError carrying daprd's code and message", async () => {
    answer(daprReply(404, "ERR_PUBSUB_NOT_FOUND", "pubsub nope not found"));
    const error = await rejection(client().publish("nope", "t", {}));
    expect(error).toBeInstanceOf(DaprNotFoundError);
    expect(error).toMatchObject({
      status: 404,
      errorCode: "ERR_PUBSUB_NOT_FOUND",
      message: "pubsub nope not found",
      operation: "publish",
    });
  });

  test("a broker failure is a DaprError with status 500", async () => {
    answer(daprReply(500, "ERR_PUBSUB_PUBLISH_MESSAGE", "kafka down"));
    const error = await rejection(client().publish("pubsub", "t", {}));
    expect(error).toBeInstanceOf(DaprError);
    expect(error).not.toBeInstanceOf(DaprNotFoundError);
    expect(error).toMatchObject({ status: 500, errorCode: "ERR_PUBSUB_PUBLISH_MESSAGE" });
  });
});

describe("bulkPublish", () => {
  test("sends the entries to the alpha bulk endpoint with content types filled in and resolves [] on 204", async () => {
    const failed = await client().bulkPublish(
      "pubsub",
      "task-events",
      [
        { entryId: "1", event: { a: 1 }, metadata: { partitionKey: "t1" } },
        { entryId: "2", event: new CloudEvent({ id: "e2", type: "t.v1", source: "/s" }) },
        { entryId: "3", event: "text", contentType: "text/plain" },
      ],
      { rawPayload: "false" },
    );

    expect(failed).toEqual([]);
    const request = onlyRequest();
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/v1.0-alpha1/publish/bulk/pubsub/task-events");
    expect(request.query).toEqual({ "metadata.rawPayload": "false" });
    expect(request.headers.get("content-type")).toBe("application/json");
    const body = JSON.parse(request.body) as Record<string, unknown>[];
    expect(body).toHaveLength(3);
    expect(body[0]).toEqual({
      entryId: "1",
      event: { a: 1 },
      contentType: "application/json",
      metadata: { partitionKey: "t1" },
    });
    expect(body[1]).toMatchObject({ entryId: "2", contentType: "application/cloudevents+json", event: { id: "e2" } });
    expect(body[2]).toEqual({ entryId: "3", event: "text", contentType: "text/plain" });
  });

  test("a partial failure resolves with the ids of the entries that failed", async () => {
    answer(() =>
      Response.json(
        {
          failedEntries: [
            { entryId: "2", error: "broker said no" },
            { entryId: "3", error: "broker said no" },
          ],
          errorCode: "ERR_PUBSUB_PUBLISH_MESSAGE",
        },
        { status: 500 },
      ),
    );
    const failed = await client().bulkPublish("pubsub", "t", [
      { entryId: "1", event: 1 },
      { entryId: "2", event: 2 },
      { entryId: "3", event: 3 },
    ]);
    expect(failed).toEqual(["2", "3"]);
  });

  test("a rejected request (duplicate entry ids) throws", async () => {
    answer(daprReply(400, "ERR_PUBSUB_EVENTS_SER", "entryId is duplicated"));
    const error = await rejection(client().bulkPublish("pubsub", "t", [{ entryId: "1", event: 1 }, { entryId: "1", event: 2 }]));
    expect(error).toBeInstanceOf(DaprError);
    expect(error).toMatchObject({ status: 400, operation: "bulkPublish" });
  });
});

describe("state", () => {
  test("getState parses the stored JSON and returns the ETag header", async () => {
    answer(() => new Response(JSON.stringify({ title: "pay rent" }), { status: 200, headers: { ETag: "7" } }));
    const entry = await client().getState<{ title: string }>("statestore", "task/1 a");

    expect(entry).toEqual({ key: "task/1 a", value: { title: "pay rent" }, etag: "7" });
    const request = onlyRequest();
    expect(request.method).toBe("GET");
    expect(request.path).toBe("/v1.0/state/statestore/task%2F1%20a");
  });

  test("getState resolves undefined when daprd answers 204 for a missing key", async () => {
    expect(await client().getState("statestore", "missing")).toBeUndefined();
  });

  test("getBulkState answers in the requested order with undefined value and etag for missing keys", async () => {
    answer(() =>
      Response.json([
        { key: "b" },
        { key: "a", data: { n: 1 }, etag: "3" },
      ]),
    );
    const entries = await client().getBulkState("statestore", ["a", "b"]);

    expect(entries).toEqual([
      { key: "a", value: { n: 1 }, etag: "3" },
      { key: "b", value: undefined, etag: undefined },
    ]);
    const request = onlyRequest();
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/v1.0/state/statestore/bulk");
    expect(JSON.parse(request.body)).toEqual({ keys: ["a", "b"] });
  });

  test("saveState sends etag, TTL as a string and the concurrency options", async () => {
    await client().saveState("statestore", [
      { key: "k1", value: { a: 1 }, etag: "4", ttlInSeconds: 120, concurrency: "first-write", consistency: "strong" },
      { key: "k2", value: "plain" },
    ]);

    const request = onlyRequest();
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/v1.0/state/statestore");
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(request.body)).toEqual([
      {
        key: "k1",
        value: { a: 1 },
        etag: "4",
        metadata: { ttlInSeconds: "120" },
        options: { concurrency: "first-write", consistency: "strong" },
      },
      { key: "k2", value: "plain" },
    ]);
  });

  test("an ETag read with getState round-trips into the next save", async () => {
    answer(() => new Response(JSON.stringify(1), { headers: { etag: "v9" } }));
    const dapr = client();
    const entry = await dapr.getState<number>("statestore", "counter");
    answer(() => new Response(null, { status: 204 }));
    await dapr.saveState("statestore", [{ key: "counter", value: entry!.value + 1, etag: entry!.etag }]);

    expect(JSON.parse(seen[1]!.body)).toEqual([{ key: "counter", value: 2, etag: "v9" }]);
  });

  test("saveState maps 409 to EtagMismatchError", async () => {
    answer(daprReply(409, "ERR_STATE_SAVE", "failed saving state in state store statestore: possible etag mismatch"));
    const error = await rejection(client().saveState("statestore", [{ key: "k", value: 1, etag: "old" }]));
    expect(error).toBeInstanceOf(EtagMismatchError);
    expect(error).toMatchObject({ status: 409, errorCode: "ERR_STATE_SAVE", operation: "saveState" });
  });

  test("deleteState sends If-Match only when an etag is given, and maps 409 to EtagMismatchError", async () => {
    const dapr = client();
    await dapr.deleteState("statestore", "k1", { etag: "5" });
    await dapr.deleteState("statestore", "k2");
    answer(daprReply(409, "ERR_STATE_DELETE", "possible etag mismatch"));
    const error = await rejection(dapr.deleteState("statestore", "k3", { etag: "old" }));

    expect(seen[0]).toMatchObject({ method: "DELETE", path: "/v1.0/state/statestore/k1" });
    expect(seen[0]!.headers.get("if-match")).toBe("5");
    expect(seen[1]!.headers.has("if-match")).toBe(false);
    expect(error).toBeInstanceOf(EtagMismatchError);
  });

  test("transaction sends operations with per-upsert TTL metadata as strings", async () => {
    await client().transaction(
      "statestore",
      [
        { operation: "upsert", request: { key: "seen/e1", value: true, ttlInSeconds: 86400 } },
        { operation: "upsert", request: { key: "task/1", value: { v: 2 }, etag: "1" } },
        { operation: "delete", request: { key: "old", etag: "9" } },
      ],
      { contentType: "application/json" },
    );

    const request = onlyRequest();
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/v1.0/state/statestore/transaction");
    expect(JSON.parse(request.body)).toEqual({
      operations: [
        { operation: "upsert", request: { key: "seen/e1", value: true, metadata: { ttlInSeconds: "86400" } } },
        { operation: "upsert", request: { key: "task/1", value: { v: 2 }, etag: "1" } },
        { operation: "delete", request: { key: "old", etag: "9" } },
      ],
      metadata: { contentType: "application/json" },
    });
  });

  test("a transaction failing on an ETag (500 ERR_STATE_TRANSACTION) is an EtagMismatchError; other failures are not", async () => {
    answer(daprReply(500, "ERR_STATE_TRANSACTION", "error while executing state transaction: possible etag mismatch"));
    const mismatch = await rejection(client().transaction("statestore", [{ operation: "delete", request: { key: "k", etag: "1" } }]));
    answer(daprReply(500, "ERR_STATE_TRANSACTION", "connection refused"));
    const other = await rejection(client().transaction("statestore", [{ operation: "delete", request: { key: "k" } }]));

    expect(mismatch).toBeInstanceOf(EtagMismatchError);
    expect(mismatch).toMatchObject({ status: 500, operation: "transaction" });
    expect(other).toBeInstanceOf(DaprError);
    expect(other).not.toBeInstanceOf(EtagMismatchError);
  });
});

describe("jobs", () => {
  test("scheduleJob posts the spec without the name to the alpha jobs endpoint", async () => {
    await client().scheduleJob("reminder-t1", {
      dueTime: "2026-01-01T09:00:00Z",
      data: { taskId: "t1" },
      overwrite: true,
      failurePolicy: { constant: { interval: "5s", maxRetries: 3 } },
    });

    const request = onlyRequest();
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/v1.0-alpha1/jobs/reminder-t1");
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(request.body)).toEqual({
      dueTime: "2026-01-01T09:00:00Z",
      data: { taskId: "t1" },
      overwrite: true,
      failurePolicy: { constant: { interval: "5s", maxRetries: 3 } },
    });
  });

  test("getJob unwraps the protobuf Value around the job data", async () => {
    answer(() =>
      Response.json({
        name: "reminder-t1",
        schedule: "@every 1h",
        repeats: 3,
        data: { "@type": "type.googleapis.com/google.protobuf.Value", value: { taskId: "t1" } },
      }),
    );
    const job = await client().getJob("reminder-t1");

    expect(job).toEqual({ name: "reminder-t1", schedule: "@every 1h", repeats: 3, data: { taskId: "t1" } });
    expect(onlyRequest()).toMatchObject({ method: "GET", path: "/v1.0-alpha1/jobs/reminder-t1" });
  });

  test("getJob resolves undefined for a missing job, whether daprd answers 500 or 404", async () => {
    answer(daprReply(500, "DAPR_SCHEDULER_GET_JOB", "failed to get job due to: rpc error: code = NotFound desc = job not found"));
    expect(await client().getJob("gone")).toBeUndefined();
    answer(daprReply(404, "ERR_JOBS_NOT_FOUND", "job gone"));
    expect(await client().getJob("gone")).toBeUndefined();
  });

  test("getJob still throws when the scheduler fails for another reason or the route does not exist", async () => {
    answer(daprReply(500, "DAPR_SCHEDULER_GET_JOB", "failed to get job due to: scheduler unavailable"));
    expect(await rejection(client().getJob("j"))).toBeInstanceOf(DaprError);
    answer(() => new Response("404 page not found", { status: 404 }));
    expect(await rejection(client().getJob("j"))).toBeInstanceOf(DaprNotFoundError);
  });

  test("deleteJob sends DELETE and treats an already-gone job as deleted", async () => {
    await client().deleteJob("reminder-t1");
    answer(daprReply(500, "DAPR_SCHEDULER_DELETE_JOB", "failed to delete job due to: job not found"));
    await client().deleteJob("reminder-t1");
    answer(daprReply(500, "DAPR_SCHEDULER_DELETE_JOB", "failed to delete job due to: etcd timeout"));
    const error = await rejection(client().deleteJob("reminder-t1"));

    expect(seen[0]).toMatchObject({ method: "DELETE", path: "/v1.0-alpha1/jobs/reminder-t1" });
    expect(error).toBeInstanceOf(DaprError);
  });
});

describe("invoke", () => {
  test("forwards method, path, query, headers and JSON body, and returns the callee's reply untouched", async () => {
    answer(() => new Response("teapot", { status: 418, headers: { "x-callee": "chat-api" } }));
    const response = await client({ apiToken: "tok" }).invoke("chat-api", "/internal/tasks/t1", {
      method: "PUT",
      query: { dryRun: "true" },
      headers: { authorization: "Bearer abc" },
      body: { title: "next" },
    });

    expect(response.status).toBe(418);
    expect(response.headers.get("x-callee")).toBe("chat-api");
    expect(await response.text()).toBe("teapot");
    const request = onlyRequest();
    expect(request.method).toBe("PUT");
    expect(request.path).toBe("/v1.0/invoke/chat-api/method/internal/tasks/t1");
    expect(request.query).toEqual({ dryRun: "true" });
    expect(request.headers.get("authorization")).toBe("Bearer abc");
    expect(request.headers.get("dapr-api-token")).toBe("tok");
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(request.body)).toEqual({ title: "next" });
  });

  test("defaults to GET without a body and POST with one", async () => {
    const dapr = client();
    await dapr.invoke("audit", "entries");
    await dapr.invoke("audit", "entries", { body: "x", headers: { "Content-Type": "text/csv" } });
    expect(seen.map((r) => r.method)).toEqual(["GET", "POST"]);
    expect(seen[1]!.headers.get("content-type")).toBe("text/csv");
  });
});

describe("secrets, health and metadata", () => {
  test("getSecret and getBulkSecrets read the secret store", async () => {
    answer(() => Response.json({ password: "pw" }));
    const secret = await client().getSecret("secretstore", "db");
    answer(() => Response.json({ db: { password: "pw" }, jwt: { key: "k" } }));
    const all = await client().getBulkSecrets("secretstore");

    expect(secret).toEqual({ password: "pw" });
    expect(all).toEqual({ db: { password: "pw" }, jwt: { key: "k" } });
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /v1.0/secrets/secretstore/db",
      "GET /v1.0/secrets/secretstore/bulk",
    ]);
  });

  test("healthy is true on 204, false on 500, and can ask the outbound endpoint", async () => {
    const dapr = client();
    expect(await dapr.healthy()).toBe(true);
    answer(() => new Response(null, { status: 500 }));
    expect(await dapr.healthy({ outbound: true })).toBe(false);
    expect(seen.map((r) => r.path)).toEqual(["/v1.0/healthz", "/v1.0/healthz/outbound"]);
  });

  test("metadata returns daprd's metadata document", async () => {
    answer(() => Response.json({ id: "audit", runtimeVersion: "1.16.0", components: [{ name: "pubsub", type: "pubsub.kafka" }] }));
    const metadata = await client().metadata();
    expect(metadata).toMatchObject({ id: "audit", runtimeVersion: "1.16.0" });
    expect(onlyRequest()).toMatchObject({ method: "GET", path: "/v1.0/metadata" });
  });

  test("a 401 for a wrong API token becomes DaprUnauthorizedError with the plain-text reply as message", async () => {
    answer(() => new Response("invalid api token", { status: 401 }));
    const error = await rejection(client({ apiToken: "wrong" }).metadata());
    expect(error).toBeInstanceOf(DaprUnauthorizedError);
    expect(error).toMatchObject({ status: 401, message: "invalid api token", errorCode: undefined });
  });
});

describe("transport", () => {
  async function closedPortUrl(): Promise<string> {
    const probe = Bun.serve({ port: 0, fetch: () => new Response() });
    const url = `http://127.0.0.1:${probe.port}`;
    await probe.stop(true);
    return url;
  }

  test("an unreachable sidecar is DaprUnavailableError carrying the network cause, and unhealthy", async () => {
    const dapr = createDaprClient({ baseUrl: await closedPortUrl() });
    const error = await rejection(dapr.saveState("statestore", [{ key: "k", value: 1 }]));

    expect(error).toBeInstanceOf(DaprUnavailableError);
    expect(error).toMatchObject({ status: 0, operation: "saveState" });
    expect((error as DaprUnavailableError).cause).toBeDefined();
    expect(await dapr.healthy()).toBe(false);
  });

  test("a sidecar that does not answer within timeoutMs is DaprUnavailableError", async () => {
    // Never answers; gives up only when the client aborts the request.
    const hanging = (input: Request | string | URL) =>
      new Promise<Response>((_, reject) => {
        const signal = (input as Request).signal;
        signal.addEventListener("abort", () => reject(signal.reason));
      });
    const dapr = createDaprClient({ baseUrl: "http://dapr.local", fetch: hanging, timeoutMs: 20 });
    const error = await rejection(dapr.getState("statestore", "k"));

    expect(error).toBeInstanceOf(DaprUnavailableError);
    expect((error as Error).message).toContain("20 ms");
  });

  test("the fetch option receives every request, so an in-process runtime needs no server", async () => {
    const received: Request[] = [];
    const inProcess = async (input: Request | string | URL) => {
      const request = input as Request;
      received.push(request);
      const url = new URL(request.url);
      if (url.pathname === "/v1.0/state/statestore/k") return new Response('"v"', { headers: { etag: "1" } });
      return new Response(null, { status: 204 });
    };
    const dapr = createDaprClient({ baseUrl: "http://dapr.local", fetch: inProcess, apiToken: "t" });

    await dapr.publish("pubsub", "task-events", { a: 1 });
    const entry = await dapr.getState("statestore", "k");

    expect(entry).toEqual({ key: "k", value: "v", etag: "1" });
    expect(received.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST http://dapr.local/v1.0/publish/pubsub/task-events",
      "GET http://dapr.local/v1.0/state/statestore/k",
    ]);
    expect(received[0]!.headers.get("dapr-api-token")).toBe("t");
    expect(await received[0]!.json()).toEqual({ a: 1 });
  });
});
