/**
 * Test-only: the real chat-api (`createApp`) on a test database, with a
 * recording Dapr client, a clock the test moves, and helpers to sign users up,
 * call routes and read the outbox. Used by app.test.ts and api-property.test.ts.
 */
import { createBackground, createMemoryLogger, type Background, type DaprClient, type Task } from "@todo/common";
import { createMemoryStateClient, serviceDeps } from "@todo/testkit";
import { createApp } from "../app.ts";
import { createTokenService } from "@todo/common";
import { insertUser } from "../auth/user-store.ts";
import type { Database } from "@todo/common/db";

export const JWT_SECRET = "tasks-api-test-secret-of-at-least-32-characters";
export const APP_TOKEN = "app-token-for-tests";

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is instead of JSON-encoding `body`. */
  raw?: string;
  headers?: Record<string, string>;
}

export interface Published {
  pubsub: string;
  topic: string;
  event: { id: string; type: string; subject?: string; data: any };
  partitionKey: string | undefined;
}

/** Records publishes; fails the next `failures` of them (a sidecar that is down). */
export interface RecordingDapr extends DaprClient {
  published: Published[];
  failNext(failures: number): void;
}

export function recordingDapr(): RecordingDapr {
  const published: Published[] = [];
  let failures = 0;
  // Sign-in throttling keeps its counts in Dapr state.
  const state = createMemoryStateClient();
  const handlers: Partial<DaprClient> = {
    getState: state.getState,
    saveState: state.saveState,
    deleteState: state.deleteState,
    async publish(pubsub, topic, data, options) {
      if (failures > 0) {
        failures--;
        throw new Error("sidecar unavailable (test)");
      }
      published.push({ pubsub, topic, event: data as Published["event"], partitionKey: options?.partitionKey });
    },
    healthy: async () => true,
  };
  const target = { published, failNext: (n: number) => void (failures = n) };
  return new Proxy(target as RecordingDapr, {
    get(object, name) {
      if (name in object) return object[name as keyof typeof object];
      const handler = handlers[name as keyof DaprClient];
      return handler ?? (() => Promise.reject(new Error(`the tasks tests do not expect dapr.${String(name)}`)));
    },
  });
}

export interface Clock {
  now(): Date;
  set(iso: string): void;
  advance(ms: number): void;
}

export function manualClock(start = "2030-03-01T09:00:00.000Z"): Clock {
  let ms = Date.parse(start);
  return {
    now: () => new Date(ms),
    set: (iso) => void (ms = Date.parse(iso)),
    advance: (delta) => void (ms += delta),
  };
}

export interface OutboxEntry {
  seq: string;
  topic: string;
  partitionKey: string;
  type: string;
  data: any;
  id: string;
  publishedAt: Date | null;
}

export interface Harness {
  db: Database;
  dapr: RecordingDapr;
  clock: Clock;
  background: Background;
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<Reply<T>>;
  /**
   * A fresh user and a token for it. Written straight to the users table:
   * hashing a password through /api/auth/signup costs ~150 ms a user, and the
   * auth tests cover that route; `signupThroughApi` takes the real way.
   */
  signup(name?: string): Promise<{ token: string; userId: string }>;
  signupThroughApi(name?: string): Promise<{ token: string; userId: string }>;
  createTask(token: string, body: Record<string, unknown>): Promise<Task>;
  /** Outbox rows in seq order, optionally only those after `afterSeq`. */
  outbox(afterSeq?: string): Promise<OutboxEntry[]>;
  lastSeq(): Promise<string>;
  /** Every task row and outbox row as JSON: equal snapshots mean nothing was written. */
  snapshot(): Promise<string>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  writesPerMinute?: number;
  appApiToken?: string | null;
  clock?: Clock;
}

export async function createHarness(open: () => Promise<Database>, options: HarnessOptions = {}): Promise<Harness> {
  const db = await open();
  const dapr = recordingDapr();
  const clock = options.clock ?? manualClock();
  const logger = createMemoryLogger("chat-api");
  const background = createBackground(logger);
  const app = await createApp({
    ...serviceDeps("chat-api", dapr, { logger, now: clock.now, background }),
    db,
    jwtSecret: JWT_SECRET,
    appApiToken: options.appApiToken === null ? undefined : (options.appApiToken ?? APP_TOKEN),
    writesPerMinute: options.writesPerMinute ?? 1_000_000,
    outbox: { pollIntervalMs: 20, initialBackoffMs: 5, maxBackoffMs: 20 },
  });

  async function call<T>(method: string, path: string, callOptions: CallOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    const body = callOptions.raw ?? (callOptions.body === undefined ? undefined : JSON.stringify(callOptions.body));
    if (body !== undefined) headers["content-type"] = "application/json";
    if (callOptions.token) headers.authorization = `Bearer ${callOptions.token}`;
    Object.assign(headers, callOptions.headers);
    const response = await app.handle(new Request(`http://localhost${path}`, { method, headers, body }));
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text so a failing assertion shows it
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  let users = 0;
  const emailFor = (name: string) => `${name}-${++users}-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const tokens = createTokenService(JWT_SECRET, { now: clock.now });
  return {
    db,
    dapr,
    clock,
    background,
    call,
    async signup(name = "user") {
      const email = emailFor(name);
      const user = await insertUser(db, { id: Bun.randomUUIDv7(), email, emailKey: email, name, passwordHash: "not-a-hash", now: clock.now() });
      if (!user) throw new Error(`could not insert user ${email}`);
      return { token: await tokens.issue(user), userId: user.id };
    },
    async signupThroughApi(name = "user") {
      const email = emailFor(name);
      const credentials = { email, password: "correct horse battery" };
      const signup = await call("POST", "/api/auth/signup", { body: credentials });
      if (signup.status !== 202) throw new Error(`signup failed: ${signup.status} ${JSON.stringify(signup.body)}`);
      const reply = await call<{ token: string; user: { id: string } }>("POST", "/api/auth/login", { body: credentials });
      if (reply.status !== 200) throw new Error(`login failed: ${reply.status} ${JSON.stringify(reply.body)}`);
      return { token: reply.body.token, userId: reply.body.user.id };
    },
    async createTask(token, body) {
      const reply = await call<Task>("POST", "/api/tasks", { token, body });
      if (reply.status !== 201) throw new Error(`create failed: ${reply.status} ${JSON.stringify(reply.body)}`);
      return reply.body;
    },
    async outbox(afterSeq = "0") {
      const rows = await db.query<{ seq: string; topic: string; partition_key: string; event: any; published_at: Date | null }>(
        "SELECT seq, topic, partition_key, event, published_at FROM outbox WHERE seq > $1::bigint ORDER BY seq",
        [afterSeq],
      );
      return rows.map((row) => ({
        seq: row.seq,
        topic: row.topic,
        partitionKey: row.partition_key,
        type: row.event.type,
        data: row.event.data,
        id: row.event.id,
        publishedAt: row.published_at,
      }));
    },
    async lastSeq() {
      const rows = await db.query<{ seq: string }>("SELECT coalesce(max(seq), 0)::text AS seq FROM outbox");
      return rows[0]?.seq ?? "0";
    },
    async snapshot() {
      const tasks = await db.query("SELECT * FROM tasks ORDER BY id");
      const outbox = await db.query("SELECT seq, event_id, topic, partition_key, event FROM outbox ORDER BY seq");
      return JSON.stringify({ tasks, outbox });
    },
    async close() {
      await background.stop();
      await db.close();
    },
  };
}
