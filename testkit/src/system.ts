import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDaprClient, type DaprClient, type LogLevel, type Task, type TypedEvent } from "@todo/common";
import { startEmbeddedHost, type EmbeddedHost } from "@todo/embedded/host";

export interface TestUser {
  token: string;
  userId: string;
}

export interface TestHost extends AsyncDisposable {
  url: string;
  dataDir: string;
  host: EmbeddedHost;
  /** The websocket app's view of Dapr state (its keys, unprefixed). */
  websocketState: DaprClient;
  /** Publishes as another app would (e.g. notification firing a reminder). */
  publishAs(appId: string, topic: string, event: TypedEvent): Promise<void>;
  signup(label: string): Promise<TestUser>;
  createTask(user: TestUser, fields: Record<string, unknown>): Promise<Task>;
  updateTask(user: TestUser, id: string, fields: Record<string, unknown>): Promise<Task>;
  completeTask(user: TestUser, id: string): Promise<Task>;
  deleteTask(user: TestUser, id: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The whole system as `bun start` runs it, in this process: every app, the
 * runtime and the public port (a free one), on a fresh data dir, with helpers
 * that act as users do. Delivery retries are quick so a failed delivery is
 * retried within the test's wait.
 */
export async function startTestHost(options: { logLevel?: LogLevel } = {}): Promise<TestHost> {
  const dataDir = mkdtempSync(join(tmpdir(), "todo-system-"));
  let host: EmbeddedHost;
  try {
    host = await startEmbeddedHost({
      port: 0,
      host: "127.0.0.1",
      dataDir,
      daprHttpPort: 0,
      logLevel: options.logLevel ?? (process.env.E2E_LOG_LEVEL === "debug" ? "debug" : "error"),
      siteDir: join(dataDir, "no-site"),
      delivery: { initialRetryMs: 20, maxRetryIntervalMs: 200, maxRetries: 5 },
    });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const sidecarOf = (appId: string) => createDaprClient({ baseUrl: "http://dapr.local", fetch: host.runtime.sidecar(appId) });
  const call = async <T>(method: string, path: string, token?: string, body?: unknown): Promise<T> => {
    const response = await fetch(host.url + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  const stop = async () => {
    try {
      await host.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  return {
    url: host.url,
    dataDir,
    host,
    websocketState: sidecarOf("websocket"),
    publishAs: (appId, topic, event) => sidecarOf(appId).publish("pubsub", topic, event, { partitionKey: event.subject }),
    async signup(label) {
      const email = `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
      const credentials = { email, password: "correct horse battery staple" };
      await call("POST", "/api/auth/signup", undefined, credentials);
      const session = await call<{ token: string; user: { id: string } }>("POST", "/api/auth/login", undefined, credentials);
      return { token: session.token, userId: session.user.id };
    },
    createTask: (user, fields) => call("POST", "/api/tasks", user.token, fields),
    updateTask: (user, id, fields) => call("PATCH", `/api/tasks/${id}`, user.token, fields),
    completeTask: (user, id) => call("POST", `/api/tasks/${id}/complete`, user.token),
    deleteTask: (user, id) => call("DELETE", `/api/tasks/${id}`, user.token),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
