/**
 * Test support (not used at run time): the notification app on a real
 * embedded runtime in a temp data dir, a recorder app that keeps every event
 * on reminder-events, and a publisher speaking for chat-api. The runtime can
 * be stopped and started again on the same data dir, as after a crash.
 */
import {
  buildEvent,
  createMemoryLogger,
  REMINDER_DELIVERED,
  REMINDER_EVENTS_TOPIC,
  REMINDER_TRIGGERED,
  TASK_EVENTS_TOPIC,
  type DaprClient,
  type EventType,
  type Task,
  type TypedEvent,
} from "@todo/common";
import { blankTask, COMPONENTS, inProcessChannel, recorderApp, runtimeFixture, serviceDeps, waitFor } from "@todo/testkit";
import { createApp } from "./app.ts";
import { reminderIdFor } from "./task-record.ts";

export interface RecordedEvent<T extends EventType = EventType> {
  event: TypedEvent<T>;
  arrivedAt: number;
}

export interface HarnessOptions {
  /** Wraps the notification app's Dapr client (e.g. to make publish fail). */
  wrapDapr?: (client: DaprClient) => DaprClient;
}

const APP_TOKEN = "notification-test-token";

export async function startHarness(options: HarnessOptions = {}) {
  const fixture = runtimeFixture({ delivery: { initialRetryMs: 20, maxRetryIntervalMs: 200, maxRetries: 5 } });
  const recorder = recorderApp("recorder", [{ pubsubname: "pubsub", topic: REMINDER_EVENTS_TOPIC, route: "/record" }]);
  const recorded = recorder.deliveries as unknown as RecordedEvent[];
  const logger = createMemoryLogger("notification");
  let running = false;
  let app: ReturnType<typeof createApp>;

  const start = async () => {
    const runtime = fixture.runtime();
    const client = fixture.sidecar("notification");
    const deps = serviceDeps("notification", options.wrapDapr ? options.wrapDapr(client) : client, { logger, appApiToken: APP_TOKEN });
    app = createApp(deps);
    const notification = app;
    runtime.registerApp(inProcessChannel("notification", (request) => notification.handle(request), APP_TOKEN));
    runtime.registerApp(recorder.channel);
    await runtime.start();
    running = true;
  };
  await start();

  const sidecar = (appId: string) => {
    if (!running) throw new Error("the runtime is stopped");
    return fixture.sidecar(appId);
  };
  const triggeredRecords = () =>
    recorded.filter((r): r is RecordedEvent<typeof REMINDER_TRIGGERED> => r.event.type === REMINDER_TRIGGERED);

  return {
    logger,
    recorded,
    /** ReminderTriggered events as the recorder received them, with their arrival time. */
    triggeredRecords,
    triggered: () => triggeredRecords().map((r) => r.event),
    /** The notification app as daprd reaches it (with or without the app token). */
    call(path: string, init: RequestInit & { token?: boolean } = {}) {
      const headers = new Headers(init.headers);
      if (init.token !== false) headers.set("dapr-api-token", APP_TOKEN);
      return app.handle(new Request(`http://localhost${path}`, { ...init, headers }));
    },
    /** Publishes as chat-api does: one task's events share its partition key. */
    async publish(...events: TypedEvent[]) {
      const dapr = sidecar("chat-api");
      for (const event of events) {
        const topic = event.type.startsWith("todo.task.") ? TASK_EVENTS_TOPIC : REMINDER_EVENTS_TOPIC;
        await dapr.publish("pubsub", topic, event, { partitionKey: event.subject });
      }
    },
    getJob: (name: string) => sidecar("notification").getJob(name),
    readState: async (key: string) => (await sidecar("notification").getState(COMPONENTS.stateStore, key))?.value,
    /**
     * Publishes a marker on reminder-events with the task's partition key and
     * waits for it: every event published for that task before it has then
     * reached the recorder too.
     */
    async settle(taskId: string) {
      const marker = buildEvent(REMINDER_DELIVERED, {
        source: "test",
        data: { userId: "user-1", taskId, reminderId: `marker-${crypto.randomUUID()}`, deliveredAt: new Date().toISOString() },
      });
      await sidecar("chat-api").publish("pubsub", REMINDER_EVENTS_TOPIC, marker, { partitionKey: taskId });
      await waitFor(() => recorded.some((r) => r.event.id === marker.id), { message: `marker for task ${taskId}` });
    },
    async waitForLog(msg: string, fields: Record<string, unknown> = {}) {
      return waitFor(
        () => logger.records.find((r) => r.msg === msg && Object.entries(fields).every(([k, v]) => r[k] === v)),
        { message: `log "${msg}" ${JSON.stringify(fields)}`, describe: () => JSON.stringify(logger.records.map((r) => r.msg)) },
      );
    },
    async stop() {
      running = false;
      for (const runtime of fixture.runtimes.splice(0)) await runtime.stop();
    },
    /** A new runtime and a new notification app on the same data dir, as after a restart. */
    start,
    cleanup: () => fixture.cleanup(),
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** A pending task with a reminder at `remindAt`, and the events chat-api publishes for it. */
export function taskWithReminder(remindAt: Date, overrides: Partial<Task> = {}) {
  const task = blankTask({ id: crypto.randomUUID(), remindAt: remindAt.toISOString(), ...overrides });
  return { task, reminderId: reminderIdFor(task.id, task.remindAt as string) };
}

export function scheduledEvent(task: Task) {
  const remindAt = task.remindAt as string;
  return buildEvent("todo.reminder.scheduled.v1", {
    source: "chat-api",
    data: { userId: task.userId, taskId: task.id, version: task.version, reminderId: reminderIdFor(task.id, remindAt), remindAt, task },
  });
}

export function cancelledEvent(task: Task, reminderId: string, reason: "completed" | "deleted" | "cleared" | "rescheduled") {
  return buildEvent("todo.reminder.cancelled.v1", {
    source: "chat-api",
    data: { userId: task.userId, taskId: task.id, version: task.version, reminderId, reason },
  });
}

export function taskEvent(type: "todo.task.updated.v1" | "todo.task.completed.v1" | "todo.task.deleted.v1", task: Task) {
  const base = { userId: task.userId, version: task.version, task };
  return type === "todo.task.updated.v1"
    ? buildEvent(type, { source: "chat-api", data: { ...base, changed: ["remindAt"] } })
    : buildEvent(type, { source: "chat-api", data: base });
}
