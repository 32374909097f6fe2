import { describe, expect, test } from "bun:test";
import {
  buildEvent,
  createMemoryLogger,
  deterministicEventId,
  type DaprClient,
  type InvokeOptions,
  type PublishOptions,
  type Task,
} from "@todo/common";
import { sampleTask } from "@todo/testkit";
import { onTaskCompleted } from "./on-task-completed.ts";

const SERIES = "0190f3a0-0000-7000-8000-0000000000f0";
const USER = "0190f3a0-0000-7000-8000-0000000000aa";
const NEXT_TASK_ID = "0190f3a0-0000-7000-8000-000000000022";

interface Invocation {
  appId: string;
  method: string;
  options: InvokeOptions | undefined;
}

interface Publication {
  pubsub: string;
  topic: string;
  event: any;
  options: PublishOptions | undefined;
}

/** A sidecar whose service invocation answers with `reply` and whose publishes are recorded. */
function fakeDapr(reply: (invocation: Invocation) => Response | Promise<Response>, publishError?: Error) {
  const invocations: Invocation[] = [];
  const published: Publication[] = [];
  const dapr = {
    async invoke(appId: string, method: string, options?: InvokeOptions) {
      const invocation = { appId, method, options };
      invocations.push(invocation);
      return reply(invocation);
    },
    async publish(pubsub: string, topic: string, event: unknown, options?: PublishOptions) {
      if (publishError) throw publishError;
      published.push({ pubsub, topic, event: JSON.parse(JSON.stringify(event)), options });
    },
  } as Partial<DaprClient> as DaprClient;
  return { dapr, invocations, published };
}

function completion(overrides: Partial<Task> = {}) {
  const task = sampleTask({
    id: SERIES,
    userId: USER,
    seriesId: SERIES,
    occurrence: 0,
    status: "completed",
    recurrence: "FREQ=DAILY;COUNT=3",
    dueAt: "2030-03-01T09:00:00.000Z",
    remindAt: "2030-03-01T08:45:00.000Z",
    completedAt: "2030-03-01T10:00:00.000Z",
    version: 2,
    ...overrides,
  });
  return buildEvent("todo.task.completed.v1", { source: "chat-api", data: { userId: USER, version: task.version, task } });
}

/** What chat-api answers for a draft: the task it would store. */
function storedTask(invocation: Invocation, overrides: Partial<Task> = {}): Task {
  const body = invocation.options?.body as Partial<Task> & { occurrence: number };
  return sampleTask({
    ...body,
    id: NEXT_TASK_ID,
    userId: USER,
    seriesId: SERIES,
    status: "pending",
    version: 1,
    completedAt: null,
    deletedAt: null,
    ...overrides,
  });
}

async function handle(dapr: DaprClient, event = completion()) {
  const logger = createMemoryLogger("recurring-task");
  const result = await onTaskCompleted({ dapr, pubsub: "pubsub" })(event, { logger, headers: new Headers() });
  return { result, logs: logger.records };
}

describe("on todo.task.completed.v1", () => {
  test("asks chat-api for the next occurrence of the series through service invocation", async () => {
    const { dapr, invocations } = fakeDapr((invocation) => Response.json({ task: storedTask(invocation), created: true }, { status: 201 }));
    await handle(dapr);
    expect(invocations).toHaveLength(1);
    const [call] = invocations;
    expect(call!.appId).toBe("chat-api");
    expect(call!.method).toBe(`internal/series/${SERIES}/occurrences`);
    expect(call!.options?.method).toBe("POST");
    expect(call!.options?.body).toEqual({
      userId: USER,
      occurrence: 1,
      title: "Pay rent",
      description: "",
      priority: "high",
      tags: ["home", "bills_2026"],
      dueAt: "2030-03-02T09:00:00.000Z",
      remindAt: "2030-03-02T08:45:00.000Z",
      recurrence: "FREQ=DAILY;COUNT=3",
    });
  });

  test("announces a created occurrence on recurring-events, keyed by the new task, with an id derived from the slot", async () => {
    const { dapr, published } = fakeDapr((invocation) => Response.json({ task: storedTask(invocation), created: true }, { status: 201 }));
    const { result } = await handle(dapr);
    expect(result).toBeUndefined();
    expect(published).toHaveLength(1);
    const [announcement] = published;
    expect(announcement!.topic).toBe("recurring-events");
    expect(announcement!.options?.partitionKey).toBe(NEXT_TASK_ID);
    expect(announcement!.event).toMatchObject({
      id: deterministicEventId("todo.recurrence.generated.v1", SERIES, "1"),
      type: "todo.recurrence.generated.v1",
      source: "recurring-task",
      subject: NEXT_TASK_ID,
      data: { userId: USER, seriesId: SERIES, occurrence: 1, previousTaskId: SERIES, task: { id: NEXT_TASK_ID, occurrence: 1 } },
    });
  });

  test("an occurrence that already existed is announced again under the same event id", async () => {
    const created = fakeDapr((invocation) => Response.json({ task: storedTask(invocation), created: true }, { status: 201 }));
    const existing = fakeDapr((invocation) => Response.json({ task: storedTask(invocation), created: false }, { status: 200 }));
    await handle(created.dapr);
    await handle(existing.dapr);
    expect(existing.published.map((p) => p.event.id)).toEqual(created.published.map((p) => p.event.id));
  });

  test("an existing occurrence that the user deleted is not announced", async () => {
    const { dapr, published } = fakeDapr((invocation) =>
      Response.json({ task: storedTask(invocation, { deletedAt: "2030-03-01T11:00:00.000Z" }), created: false }, { status: 200 }),
    );
    expect((await handle(dapr)).result).toBeUndefined();
    expect(published).toEqual([]);
  });

  test("completing the last occurrence allowed by COUNT asks for nothing", async () => {
    const { dapr, invocations, published } = fakeDapr(() => new Response(null, { status: 500 }));
    const { result, logs } = await handle(dapr, completion({ occurrence: 2, dueAt: "2030-03-03T09:00:00.000Z", remindAt: null }));
    expect(result).toBeUndefined();
    expect(invocations).toEqual([]);
    expect(published).toEqual([]);
    expect(logs).toContainEqual(expect.objectContaining({ msg: "series ended", reason: "count-reached" }));
  });

  test("completing a task that does not recur asks for nothing", async () => {
    const { dapr, invocations } = fakeDapr(() => new Response(null, { status: 500 }));
    const event = completion({ recurrence: null, seriesId: null, occurrence: null });
    expect((await handle(dapr, event)).result).toBeUndefined();
    expect(invocations).toEqual([]);
  });

  test("a rule that cannot be read goes to the dead-letter topic", async () => {
    const { dapr, invocations } = fakeDapr(() => new Response(null, { status: 500 }));
    expect((await handle(dapr, completion({ recurrence: "FREQ=DAILY;UNTIL=soon" }))).result).toBe("DROP");
    expect(invocations).toEqual([]);
  });

  test("a series chat-api does not know ends quietly: acknowledged, nothing announced", async () => {
    const { dapr, published } = fakeDapr(() => Response.json({ error: { code: "not_found", message: "series not found" } }, { status: 404 }));
    const { result, logs } = await handle(dapr);
    expect(result).toBeUndefined();
    expect(published).toEqual([]);
    expect(logs).toContainEqual(expect.objectContaining({ level: "warn", seriesId: SERIES }));
  });

  test("a draft chat-api refuses (4xx) goes to the dead-letter topic with the reason logged", async () => {
    const { dapr, published } = fakeDapr(() =>
      Response.json({ error: { code: "invalid_task", message: "title must not be blank" } }, { status: 422 }),
    );
    const { result, logs } = await handle(dapr);
    expect(result).toBe("DROP");
    expect(published).toEqual([]);
    expect(logs).toContainEqual(expect.objectContaining({ level: "warn", status: 422, error: "title must not be blank" }));
  });

  test.each([500, 503, 429])("chat-api answering %d makes the delivery fail, so it is retried", async (status) => {
    const { dapr, published } = fakeDapr(() => Response.json({ error: { code: "unavailable", message: "busy" } }, { status }));
    await expect(handle(dapr)).rejects.toThrow(String(status));
    expect(published).toEqual([]);
  });

  test("no answer from the sidecar makes the delivery fail, so it is retried", async () => {
    const { dapr } = fakeDapr(() => Promise.reject(new Error("connection refused")));
    await expect(handle(dapr)).rejects.toThrow("connection refused");
  });

  test("a failed announcement makes the delivery fail, so it is retried", async () => {
    const { dapr } = fakeDapr(
      (invocation) => Response.json({ task: storedTask(invocation), created: true }, { status: 201 }),
      new Error("pubsub unavailable"),
    );
    await expect(handle(dapr)).rejects.toThrow("pubsub unavailable");
  });
});
