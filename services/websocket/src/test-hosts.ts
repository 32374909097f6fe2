/** Test-only: the system under test, whole (`bun start`) or just this service on the embedded runtime. */
import {
  createBackground,
  createDaprClient,
  createLogger,
  createTokenService,
  serveApp,
  type DaprClient,
  type Task,
  type TokenService,
  type TypedEvent,
} from "@todo/common";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Registry } from "prom-client";
import type { EmbeddedHost } from "../../embedded/src/embedded-host.ts";
import { inProcessChannel } from "../../embedded/src/runtime/app-channel.ts";
import { createRuntime } from "../../embedded/src/runtime/runtime.ts";
import { createApp, type WebsocketTuning } from "./app.ts";
import { startTestHost } from "../../embedded/src/testing/test-host.ts";

const quickDelivery = { initialRetryMs: 20, maxRetryIntervalMs: 200, maxRetries: 5 };
const sidecarClient = (sidecar: (request: Request) => Promise<Response>) => createDaprClient({ baseUrl: "http://dapr.local", fetch: sidecar });

export interface TestUser {
  token: string;
  userId: string;
}

export interface FullSystem {
  url: string;
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

/** Everything `bun start` runs, on a free port and a fresh data dir. */
export async function startFullSystem(): Promise<FullSystem> {
  const { host, stop } = await startTestHost();
  const call = async <T>(method: string, path: string, token?: string, body?: unknown): Promise<T> => {
    const response = await fetch(host.url + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  return {
    url: host.url,
    host,
    websocketState: sidecarClient(host.runtime.sidecar("websocket")),
    publishAs: (appId, topic, event) => sidecarClient(host.runtime.sidecar(appId)).publish("pubsub", topic, event, { partitionKey: event.subject }),
    async signup(label) {
      const email = `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
      const session = await call<{ token: string; user: { id: string } }>("POST", "/api/auth/signup", undefined, {
        email,
        password: "correct horse battery staple",
      });
      return { token: session.token, userId: session.user.id };
    },
    createTask: (user, fields) => call("POST", "/api/tasks", user.token, fields),
    updateTask: (user, id, fields) => call("PATCH", `/api/tasks/${id}`, user.token, fields),
    completeTask: (user, id) => call("POST", `/api/tasks/${id}/complete`, user.token),
    deleteTask: (user, id) => call("DELETE", `/api/tasks/${id}`, user.token),
    stop,
  };
}

export interface WebsocketOnly {
  url: string;
  tokens: TokenService;
  /** Publishes as chat-api would. */
  publish(topic: string, event: TypedEvent): Promise<void>;
  stop(): Promise<void>;
}

/** Only this service, served like its main.ts does, on the embedded runtime: for tuning the limits. */
export async function startWebsocketOnly(options: { tuning?: Partial<WebsocketTuning>; now?: () => Date } = {}): Promise<WebsocketOnly> {
  const dataDir = mkdtempSync(join(tmpdir(), "todo-websocket-only-"));
  const logger = createLogger({ service: "websocket-test", level: "error" });
  const runtime = createRuntime({ dataDir, logger, env: {}, delivery: quickDelivery });
  const background = createBackground(logger);
  const jwtSecret = crypto.randomUUID() + crypto.randomUUID();
  const app = await createApp({
    dapr: sidecarClient(runtime.sidecar("websocket")),
    logger,
    components: { pubsub: "pubsub", stateStore: "statestore", secretStore: "secretstore" },
    registry: new Registry(),
    background,
    jwtSecret,
    tuning: options.tuning,
    now: options.now,
  });
  runtime.registerApp(inProcessChannel("websocket", (request) => app.handle(request)));
  await runtime.start();
  background.start();
  const server = serveApp(app, { port: 0, hostname: "127.0.0.1", logger });
  const chatApi = sidecarClient(runtime.sidecar("chat-api"));
  return {
    url: `http://127.0.0.1:${server.port}`,
    tokens: createTokenService(jwtSecret),
    publish: (topic, event) => chatApi.publish("pubsub", topic, event, { partitionKey: event.subject }),
    async stop() {
      try {
        await background.stop();
        await server.stop(true);
        await runtime.stop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
