/**
 * Test-only: a real embedded Dapr runtime with a subscriber app that records
 * every event it receives, a Dapr client for chat-api's sidecar with a spy on
 * publish, and builders for valid task events.
 */
import { buildEvent, type DaprClient, type PublishOptions, type TypedEvent } from "@todo/common";
import type { Queryable } from "@todo/common/db";
import { recorderApp, runtimeFixture, waitFor, type Runtime } from "@todo/testkit";
import type { OutboxRelay } from "./outbox-relay.ts";
import { hasPendingOutbox } from "./outbox-store.ts";

export const PUBSUB = "pubsub";

export interface ReceivedEvent {
  id: string;
  type: string;
  source: string;
  subject?: string;
  time: string;
  data: unknown;
  [attribute: string]: unknown;
}

export interface PublishCall {
  topic: string;
  eventId: string;
  options: PublishOptions | undefined;
  startedAt: number;
}

export interface PubSubFixture {
  runtime: Runtime;
  /** Events as the subscriber app received them, in arrival order. */
  received: ReceivedEvent[];
  /** chat-api's Dapr client. */
  dapr: DaprClient;
  stop(): Promise<void>;
}

export async function startPubSub(): Promise<PubSubFixture> {
  const fixture = runtimeFixture({ delivery: { initialRetryMs: 10 } });
  const runtime = fixture.runtime();
  const subscriber = recorderApp(
    "subscriber",
    ["task-events", "reminder-events"].map((topic) => ({ pubsubname: PUBSUB, topic, route: "/events" })),
  );
  runtime.registerApp(subscriber.channel);
  await runtime.start();
  return {
    runtime,
    get received() {
      return subscriber.deliveries.map((delivery) => delivery.event as ReceivedEvent);
    },
    dapr: fixture.sidecar("chat-api"),
    stop: () => fixture.cleanup(),
  };
}

export interface PublishSpy {
  dapr: DaprClient;
  calls: PublishCall[];
  /** Most publishes that were in flight at the same time. */
  maxConcurrent(): number;
}

/**
 * Wraps a Dapr client: records every publish, and lets a test fail the
 * first `failFirst` calls or hold calls (`before` runs before each).
 */
export function spyOnPublish(
  inner: DaprClient,
  options: { failFirst?: number; before?: (call: PublishCall) => Promise<void> } = {},
): PublishSpy {
  const calls: PublishCall[] = [];
  let failuresLeft = options.failFirst ?? 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const dapr: DaprClient = {
    ...inner,
    async publish(pubsub, topic, data, publishOptions) {
      const call = { topic, eventId: (data as { id: string }).id, options: publishOptions, startedAt: performance.now() };
      calls.push(call);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await options.before?.(call);
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error("pub/sub is down");
        }
        await inner.publish(pubsub, topic, data, publishOptions);
      } finally {
        inFlight -= 1;
      }
    },
  };
  return { dapr, calls, maxConcurrent: () => maxInFlight };
}

const userId = "user-1";

export function taskId(n: number): string {
  return `0190f3a0-0000-7000-8000-${String(n).padStart(12, "0")}`;
}

export function taskEvent(id: string, version: number): TypedEvent {
  const at = new Date(Date.UTC(2026, 0, 1, 10, 0, version)).toISOString();
  const task = {
    id,
    userId,
    title: `Task ${id.slice(-4)} v${version}`,
    description: "",
    status: "pending" as const,
    priority: "none" as const,
    tags: [],
    dueAt: null,
    remindAt: "2026-02-01T08:00:00Z",
    recurrence: null,
    seriesId: null,
    occurrence: null,
    version,
    createdAt: "2026-01-01T10:00:00.000Z",
    updatedAt: at,
    completedAt: null,
    deletedAt: null,
  };
  if (version === 1) return buildEvent("todo.task.created.v1", { source: "chat-api", data: { userId, version, task }, time: at });
  return buildEvent("todo.task.updated.v1", { source: "chat-api", data: { userId, version, task, changed: ["title"] }, time: at });
}

export function reminderEvent(id: string, version: number): TypedEvent {
  return buildEvent("todo.reminder.cancelled.v1", {
    source: "chat-api",
    data: { userId, taskId: id, version, reminderId: `${id}:1`, reason: "cleared" },
  });
}

/** Wakes the relay and waits until no outbox row is pending. */
export async function drained(relay: OutboxRelay, db: Queryable): Promise<void> {
  relay.notify();
  await waitFor(async () => !(await hasPendingOutbox(db)), { message: "every outbox row published" });
}
