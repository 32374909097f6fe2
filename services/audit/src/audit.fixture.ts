/**
 * Test-only: an audit app over a real database, with Dapr state in memory,
 * plus builders for valid events of every topic and helpers that talk to the
 * app as daprd and as users do.
 */
import {
  RECURRENCE_GENERATED,
  REMINDER_SCHEDULED,
  TASK_CREATED,
  TASK_UPDATED,
  buildEvent,
  createMemoryLogger,
  createTokenService,
  type TypedEvent,
} from "@todo/common";
import type { Database } from "@todo/common/db";
import { blankTask } from "@todo/testkit";
import { Registry } from "prom-client";
import { createMemoryStateClient } from "@todo/testkit";
import { createApp, type AuditDeps } from "./app.ts";

export const JWT_SECRET = "audit-test-secret-that-is-long-enough-for-hs256";
export const ADMIN_TOKEN = "audit-admin-token-for-tests-0123456789";
export const tokens = createTokenService(JWT_SECRET);

export type AuditApp = Awaited<ReturnType<typeof createApp>>;

/** A fresh app on `db`; each call has its own (empty) idempotency state, like a state store that lost its records. */
export async function auditApp(db: Database, overrides: Partial<AuditDeps> = {}) {
  const state = createMemoryStateClient();
  const secrets: Record<string, string> = {};
  const dapr = {
    ...state,
    healthy: async () => true,
    getSecret: async (_store: string, name: string) => (name in secrets ? { [name]: secrets[name] ?? "" } : {}),
  };
  const app = await createApp({
    dapr,
    db,
    logger: createMemoryLogger("audit"),
    components: { pubsub: "pubsub", stateStore: "statestore", secretStore: "secretstore" },
    registry: new Registry(),
    jwtSecret: JWT_SECRET,
    adminToken: ADMIN_TOKEN,
    // Users here exist only as ids in events; the account check itself has its own test.
    accountExists: async () => true,
    ...overrides,
  });
  return { app, state, secrets };
}

/** Posts the event to the app as daprd delivers it (with the attributes the sidecar adds); resolves the status. */
export async function deliver(app: AuditApp, topic: string, event: TypedEvent): Promise<string> {
  const body = { ...event.toJSON(), topic, pubsubname: "pubsub", traceid: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
  const response = await app.handle(
    new Request(`http://localhost/events/${topic}`, {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json" },
      body: JSON.stringify(body),
    }),
  );
  if (response.status !== 200) throw new Error(`delivery answered ${response.status}`);
  return ((await response.json()) as { status: string }).status;
}

export interface AuditPage {
  items: { eventId: string; type: string; topic: string; taskId: string | null; userId: string; time: string; recordedAt: string; event: Record<string, unknown> }[];
  next: string | null;
}

export async function get(app: AuditApp, path: string, authorization?: string) {
  const response = await app.handle(new Request(`http://localhost${path}`, { headers: authorization ? { authorization } : {} }));
  return { status: response.status, body: (await response.json()) as unknown };
}

/** The user's audit page, failing unless it answers 200. */
export async function auditPage(app: AuditApp, userId: string, query = ""): Promise<AuditPage> {
  const { status, body } = await get(app, `/api/audit${query}`, `Bearer ${await userToken(userId)}`);
  if (status !== 200) throw new Error(`GET /api/audit${query} answered ${status}: ${JSON.stringify(body)}`);
  return body as AuditPage;
}

export const userToken = (userId: string) => tokens.issue({ id: userId, email: `${userId.slice(0, 8)}@example.com` });

export const newUserId = () => crypto.randomUUID();
export const newTaskId = () => crypto.randomUUID();

export function taskCreated(userId: string, taskId = newTaskId()) {
  return buildEvent(TASK_CREATED, { source: "chat-api", data: { userId, version: 1, task: blankTask({ id: taskId, userId }) } });
}

export function taskUpdated(userId: string, taskId: string, version: number) {
  const task = blankTask({ id: taskId, userId, title: `Pay rent v${version}`, version });
  return buildEvent(TASK_UPDATED, { source: "chat-api", data: { userId, version, task, changed: ["title"] } });
}

export function reminderScheduled(userId: string, taskId = newTaskId()) {
  const remindAt = "2030-03-02T08:00:00.000Z";
  const task = blankTask({ id: taskId, userId, dueAt: "2030-03-02T09:00:00.000Z", remindAt, version: 2 });
  return buildEvent(REMINDER_SCHEDULED, {
    source: "chat-api",
    data: { userId, taskId, version: 2, reminderId: `${taskId}-${Date.parse(remindAt)}`, remindAt, task },
  });
}

export function recurrenceGenerated(userId: string, taskId = newTaskId()) {
  const seriesId = crypto.randomUUID();
  const task = blankTask({ id: taskId, userId, dueAt: "2030-03-02T09:00:00.000Z", recurrence: "FREQ=DAILY;COUNT=3", seriesId, occurrence: 1 });
  return buildEvent(RECURRENCE_GENERATED, {
    source: "recurring-task",
    data: { userId, seriesId, occurrence: 1, previousTaskId: crypto.randomUUID(), task },
  });
}
