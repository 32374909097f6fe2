import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createApp as createChatApi } from "@todo/chat-api";
import { createBackground, createMemoryLogger, deterministicEventId, processedEventKey, type Background, type Task } from "@todo/common";
import type { Database } from "@todo/common/db";
import { createApp } from "@todo/recurring-task";
import { COMPONENTS, inProcessChannel, recorderApp, runtimeFixture, serviceDeps, waitFor, type Runtime, type RuntimeFixture } from "@todo/testkit";
import { testDatabases } from "@todo/testkit/databases";

// recurring-task and the real chat-api on the embedded runtime, wired as `bun start` wires them.
const JWT_SECRET = "recurring-task-test-secret-of-at-least-32-chars";
const APP_TOKEN = "recurring-task-test-app-token";
const GENERATED = "todo.recurrence.generated.v1";
// A whole series through two apps and the runtime, with redeliveries: seconds on a busy machine.
setDefaultTimeout(20_000);

interface DeliveredEvent {
  id: string;
  type: string;
  data: any;
  [attribute: string]: unknown;
}

describe.each(testDatabases())("recurring-task with chat-api on the embedded runtime ($name)", ({ open }) => {
  let fixture: RuntimeFixture;
  let db: Database;
  let runtime: Runtime;
  let background: Background;
  let observer: ReturnType<typeof recorderApp>;
  /** Everything published on task-events and recurring-events, as delivered. */
  const seen = () => observer.deliveries.map((delivery) => delivery.event as DeliveredEvent);

  beforeEach(async () => {
    fixture = runtimeFixture({ delivery: { initialRetryMs: 20, maxRetryIntervalMs: 200, maxRetries: 5 } });
    runtime = fixture.runtime();
    db = await open();
    background = createBackground(createMemoryLogger("background"));
    const deps = (appId: string) => serviceDeps(appId, fixture.sidecar(appId), { appApiToken: APP_TOKEN, background });
    const chatApi = await createChatApi({
      ...deps("chat-api"),
      db,
      jwtSecret: JWT_SECRET,
      outbox: { pollIntervalMs: 20, initialBackoffMs: 5, maxBackoffMs: 20 },
    });
    const recurring = createApp(deps("recurring-task"));
    observer = recorderApp(
      "observer",
      ["task-events", "recurring-events"].map((topic) => ({ pubsubname: "pubsub", topic, route: `/seen/${topic}` })),
    );
    runtime.registerApp(inProcessChannel("chat-api", (request) => chatApi.handle(request), APP_TOKEN));
    runtime.registerApp(inProcessChannel("recurring-task", (request) => recurring.handle(request), APP_TOKEN));
    runtime.registerApp(observer.channel);
    await runtime.start();
    background.start();
  });

  afterEach(async () => {
    await background.stop();
    await fixture.cleanup();
    await db.close();
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

  const recurringState = () => fixture.sidecar("recurring-task");
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
    const publisher = fixture.sidecar("chat-api");

    let current = anchor;
    for (let occurrence = 0; occurrence < 3; occurrence++) {
      await api("POST", `/api/tasks/${current.id}/complete`, token);
      const completion = await waitFor(
        () => seen().find((event) => event.type === "todo.task.completed.v1" && event.data.task.id === current.id),
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
        const ids = new Set(seen().filter((event) => event.type === GENERATED).map((event) => event.id));
        return expectedIds.every((id) => ids.has(id)) && ids;
      },
      { message: "both recurrence.generated announcements" },
    );
    expect([...announced].sort()).toEqual([...expectedIds].sort());
    const generated = seen().filter((event) => event.type === GENERATED);
    expect(generated.map((event) => event.data.task.id)).toEqual(expect.arrayContaining([tasks[1]!.id, tasks[2]!.id]));
    // Signing up and in pays two argon2id operations before the series even starts.
  }, 20_000);
});
