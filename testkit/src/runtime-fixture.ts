import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDaprClient, createMemoryLogger, type DaprClient } from "@todo/common";
import { createRuntime, inProcessChannel, type AppChannel, type Runtime, type RuntimeOptions } from "@todo/embedded/runtime";

/**
 * A real embedded runtime on a temporary data dir with quick retries, and
 * recorder apps that keep what they receive. `await using` (or cleanup())
 * stops every runtime made here and removes the data dir.
 */
export interface RuntimeFixture extends AsyncDisposable {
  dataDir: string;
  runtimes: Runtime[];
  logger: ReturnType<typeof createMemoryLogger>;
  /** A runtime on the fixture's data dir; a second call reopens the same dir (a restart). */
  runtime(options?: Partial<RuntimeOptions>): Runtime;
  /** The Dapr client `appId` gets from its sidecar on the newest runtime. */
  sidecar(appId: string): DaprClient;
  cleanup(): Promise<void>;
}

export function runtimeFixture(defaults: Partial<RuntimeOptions> = {}): RuntimeFixture {
  const dataDir = mkdtempSync(join(tmpdir(), "todo-runtime-"));
  const logger = createMemoryLogger("runtime-test");
  const runtimes: Runtime[] = [];
  const newest = () => {
    const runtime = runtimes.at(-1);
    if (!runtime) throw new Error("the fixture has no runtime yet");
    return runtime;
  };
  const cleanup = async () => {
    for (const runtime of runtimes.splice(0)) await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    dataDir,
    runtimes,
    logger,
    runtime(options = {}) {
      const runtime = createRuntime({
        dataDir,
        logger,
        env: {},
        ...defaults,
        ...options,
        delivery: { initialRetryMs: 5, maxRetryIntervalMs: 20, maxRetries: 3, partitions: 4, ...defaults.delivery, ...options.delivery },
      });
      runtimes.push(runtime);
      return runtime;
    },
    sidecar: (appId) => createDaprClient({ baseUrl: "http://dapr.local", fetch: newest().sidecar(appId) }),
    cleanup,
    [Symbol.asyncDispose]: cleanup,
  };
}

/** A delivery as a recorder app received it. */
export interface Delivery {
  path: string;
  event: Record<string, unknown>;
  headers: Headers;
  arrivedAt: number;
}

export type AppReply = (delivery: Delivery) => Response | Promise<Response>;

export interface RecorderApp {
  channel: AppChannel;
  deliveries: Delivery[];
  /** Replaces how the app answers deliveries (default: 200 SUCCESS). */
  reply: AppReply;
}

/** An app that declares `subscriptions` and records every delivery (JSON bodies) in arrival order. */
export function recorderApp(appId: string, subscriptions: unknown[] | Response, appApiToken?: string): RecorderApp {
  const app: RecorderApp = {
    deliveries: [],
    reply: () => Response.json({ status: "SUCCESS" }),
    channel: inProcessChannel(
      appId,
      async (request) => {
        const path = new URL(request.url).pathname;
        if (path === "/dapr/subscribe") {
          return subscriptions instanceof Response ? subscriptions.clone() : Response.json(subscriptions);
        }
        const delivery = {
          path,
          event: (await request.json()) as Record<string, unknown>,
          headers: request.headers,
          arrivedAt: Date.now(),
        };
        app.deliveries.push(delivery);
        return app.reply(delivery);
      },
      appApiToken,
    ),
  };
  return app;
}

/** A request to a sidecar, the way the Dapr client sends it. */
export function publishRequest(topic: string, body: unknown, init: { contentType?: string; query?: string; headers?: Record<string, string> } = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return new Request(`http://localhost/v1.0/publish/pubsub/${topic}${init.query ? `?${init.query}` : ""}`, {
    method: "POST",
    headers: { "content-type": init.contentType ?? "application/json", ...init.headers },
    body: text,
  });
}
