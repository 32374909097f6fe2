import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  createBackground,
  createDaprClient,
  createMemoryLogger,
  deterministicEventId,
  processedEventKey,
  type Background,
  type ServiceDeps,
  type Task,
} from "@todo/common";
import type { Database } from "@todo/common/db";
import { testDatabases } from "@todo/common/db/testing";
import { waitFor } from "@todo/common/testing";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Registry } from "prom-client";
// The real chat-api and the embedded runtime, as `bun start` wires them (test-only cross-package imports).
import { createApp as createChatApi } from "../../chat-api/src/app.ts";
import { inProcessChannel } from "../../embedded/src/runtime/app-channel.ts";
import { createRuntime, type Runtime } from "../../embedded/src/runtime/runtime.ts";
import { createApp } from "./app.ts";

const JWT_SECRET = "recurring-task-test-secret-of-at-least-32-chars";
const APP_TOKEN = "recurring-task-test-app-token";
const COMPONENTS = { pubsub: "pubsub", stateStore: "statestore", secretStore: "secretstore" };
const GENERATED = "todo.recurrence.generated.v1";

interface DeliveredEvent {
  id: string;
  type: string;
  data: any;
  [attribute: string]: unknown;
}

describe.each(testDatabases())("recurring-task with chat-api on the embedded runtime ($name)", ({ open }) => {
  let dataDir: string;
  let db: Database;
  let runtime: Runtime;
  let background: Background;
  /** Everything published on task-events and recurring-events, as delivered. */
  let seen: DeliveredEvent[];

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "todo-recurring-"));
    db = await open();
    seen = [];
    runtime = createRuntime({
      dataDir,
      logger: createMemoryLogger("runtime"),
      delivery: { initialRetryMs: 20, maxRetryIntervalMs: 200, maxRetries: 5 },
    });
    background = createBackground(createMemoryLogger("background"));
    const deps = (appId: string): ServiceDeps => ({
      dapr: createDaprClient({ baseUrl: "http://dapr.local", fetch: runtime.sidecar(appId) }),
      logger: createMemoryLogger(appId),
      components: COMPONENTS,
      registry: new Registry(),
      appApiToken: APP_TOKEN,
      background,
    });
    const chatApi = await createChatApi({
      ...deps("chat-api"),
      db,
      jwtSecret: JWT_SECRET,
      outbox: { pollIntervalMs: 20, initialBackoffMs: 5, maxBackoffMs: 20 },
    });
    const recurring = createApp(deps("recurring-task"));
    runtime.registerApp(inProcessChannel("chat-api", (request) => chatApi.handle(request), APP_TOKEN));
    runtime.registerApp(inProcessChannel("recurring-task", (request) => recurring.handle(request), APP_TOKEN));
    runtime.registerApp(
      inProcessChannel("observer", async (request) => {
        if (new URL(request.url).pathname === "/dapr/subscribe") {
          return Response.json(
            ["task-events", "recurring-events"].map((topic) => ({ pubsubname: "pubsub", topic, route: `/seen/${topic}` })),
          );
        }
        seen.push((await request.json()) as DeliveredEvent);
        return Response.json({ status: "SUCCESS" });
      }),
    );
    await runtime.start();
    background.start();
  });

  afterEach(async () => {
    await background.stop();
    await runtime.stop();
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function api<T = any>(method: string, path: string, token: string, body?: unknown): Promise<T> {
    const response = await runtime.sidecar("observer")(
      new Request(`http://dapr.local/v1.0/invoke/chat-api/method${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async function signUp(): Promise<string> {
    const credentials = JSON.stringify({ email: `${crypto.randomUUID()}@example.com`, password: "correct horse battery staple" });
    const post = (method: string) =>
      runtime.sidecar("observer")(
        new Request(`http://dapr.local/v1.0/invoke/chat-api/method/api/auth/${method}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: credentials,
        }),
      );
    expect((await post("signup")).status).toBe(202);
    const session = await post("login");
    expect(session.status).toBe(200);
    return ((await session.json()) as { token: string }).token;
  }

  async function seriesTasks(token: string, seriesId: string): Promise<Task[]> {
    const page = await api<{ items: Task[] }>("GET", "/api/tasks?status=all&limit=100", token);
    return page.items.filter((task) => task.seriesId === seriesId).sort((a, b) => a.occurrence! - b.occurrence!);
  }

  const recurringState = () => createDaprClient({ baseUrl: "http://dapr.local", fetch: runtime.sidecar("recurring-task") });
  const handledByRecurringTask = async (eventId: string) =>
    (await recurringState().getState(COMPONENTS.stateStore, processedEventKey("recurring-task", "/events/task-events", eventId))) !==
    undefined;

  test("a daily series with COUNT=3 yields exactly 3 tasks, however often each completion is redelivered", async () => {
    const token = await signUp();
    const anchor = await api<Task>("POST", "/api/tasks", token, {
      title: "Stretch",
      tags: ["health"],
      priority: "medium",
      dueAt: "2030-03-01T09:00:00Z",
      remindAt: "2030-03-01T08:45:00Z",
      recurrence: "FREQ=DAILY;COUNT=3",
    });
    const seriesId = anchor.seriesId!;
    const publisher = createDaprClient({ baseUrl: "http://dapr.local", fetch: runtime.sidecar("chat-api") });

    let current = anchor;
    for (let occurrence = 0; occurrence < 3; occurrence++) {
      await api("POST", `/api/tasks/${current.id}/complete`, token);
      const completion = await waitFor(
        () => seen.find((event) => event.type === "todo.task.completed.v1" && event.data.task.id === current.id),
        { message: `the completion of occurrence ${occurrence}` },
      );
      // Redelivered as is (the same id) and once more under a new id, which gets past de-duplication by event id.
      const fresh = { ...completion, id: Bun.randomUUIDv7() };
      for (const copy of [completion, completion, fresh]) {
        await publisher.publish(COMPONENTS.pubsub, "task-events", copy, { partitionKey: current.id });
      }
      // One partition: once the last copy is handled, every copy before it was delivered.
      await waitFor(async () => (await handledByRecurringTask(completion.id)) && handledByRecurringTask(fresh.id), {
        message: `recurring-task handling every copy of completion ${occurrence}`,
      });
      if (occurrence < 2) {
        current = await waitFor(async () => (await seriesTasks(token, seriesId)).find((task) => task.occurrence === occurrence + 1), {
          message: `occurrence ${occurrence + 1}`,
        });
      }
    }

    const tasks = await seriesTasks(token, seriesId);
    expect(tasks.map(({ occurrence, dueAt, remindAt, status, title, tags, priority, recurrence }) => ({
      occurrence,
      dueAt,
      remindAt,
      status,
      title,
      tags,
      priority,
      recurrence,
    }))).toEqual(
      [1, 2, 3].map((day, index) => ({
        occurrence: index,
        dueAt: `2030-03-0${day}T09:00:00.000Z`,
        remindAt: `2030-03-0${day}T08:45:00.000Z`,
        status: "completed" as const,
        title: "Stretch",
        tags: ["health"],
        priority: "medium" as const,
        recurrence: "FREQ=DAILY;COUNT=3",
      })),
    );

    const expectedIds = [1, 2].map((occurrence) => deterministicEventId(GENERATED, seriesId, String(occurrence)));
    const announced = await waitFor(
      () => {
        const ids = new Set(seen.filter((event) => event.type === GENERATED).map((event) => event.id));
        return expectedIds.every((id) => ids.has(id)) && ids;
      },
      { message: "both recurrence.generated announcements" },
    );
    expect([...announced].sort()).toEqual([...expectedIds].sort());
    const generated = seen.filter((event) => event.type === GENERATED);
    expect(generated.map((event) => event.data.task.id)).toEqual(expect.arrayContaining([tasks[1]!.id, tasks[2]!.id]));
    // Signing up and in pays two argon2id operations before the series even starts.
  }, 20_000);
});
