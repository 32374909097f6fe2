import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryLogger } from "@todo/common";
import { inProcessChannel, type AppChannel } from "../app-channel.ts";
import { createRuntime, type Runtime, type RuntimeOptions } from "../runtime.ts";

/**
 * Test scaffolding for the runtime: a runtime on a temporary data dir with
 * fast retries, and tiny in-process apps that record what they receive.
 * Everything made here is undone by cleanup().
 */
export interface Delivery {
  path: string;
  event: Record<string, unknown>;
  headers: Headers;
}

export type AppReply = (delivery: Delivery) => Response | Promise<Response>;

export interface TestApp {
  channel: AppChannel;
  deliveries: Delivery[];
  /** Replaces how the app answers deliveries (default: 200 SUCCESS). */
  reply: AppReply;
}

export function testApp(appId: string, subscriptions: unknown[] | Response, appApiToken?: string): TestApp {
  const app: TestApp = {
    deliveries: [],
    reply: () => Response.json({ status: "SUCCESS" }),
    channel: inProcessChannel(
      appId,
      async (request) => {
        const path = new URL(request.url).pathname;
        if (path === "/dapr/subscribe") {
          return subscriptions instanceof Response ? subscriptions.clone() : Response.json(subscriptions);
        }
        const delivery = { path, event: (await request.json()) as Record<string, unknown>, headers: request.headers };
        app.deliveries.push(delivery);
        return app.reply(delivery);
      },
      appApiToken,
    ),
  };
  return app;
}

export interface RuntimeFixture {
  dataDir: string;
  runtimes: Runtime[];
  /** A runtime on the fixture's data dir; a second call reopens the same dir (a restart). */
  runtime(options?: Partial<RuntimeOptions>): Runtime;
  logger: ReturnType<typeof createMemoryLogger>;
  cleanup(): Promise<void>;
}

export function runtimeFixture(): RuntimeFixture {
  const dataDir = mkdtempSync(join(tmpdir(), "embedded-runtime-"));
  const logger = createMemoryLogger("runtime-test");
  const runtimes: Runtime[] = [];
  return {
    dataDir,
    runtimes,
    logger,
    runtime(options = {}) {
      const runtime = createRuntime({
        dataDir,
        logger,
        env: {},
        ...options,
        delivery: { initialRetryMs: 5, maxRetryIntervalMs: 20, maxRetries: 3, partitions: 4, ...options.delivery },
      });
      runtimes.push(runtime);
      return runtime;
    },
    async cleanup() {
      for (const runtime of runtimes.splice(0)) await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
