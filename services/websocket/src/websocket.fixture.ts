/** Test-only: the system under test, whole (`bun start`) or just this service on the embedded runtime. */
/** Test-only: just this service, served like its main.ts does, on the embedded runtime. */
import { createBackground, createLogger, createTokenService, serveApp, type TokenService, type TypedEvent } from "@todo/common";
import { inProcessChannel, runtimeFixture, serviceDeps } from "@todo/testkit";
import { createApp, type WebsocketTuning } from "./app.ts";

export interface WebsocketOnly {
  url: string;
  tokens: TokenService;
  /** Publishes as chat-api would. */
  publish(topic: string, event: TypedEvent): Promise<void>;
  stop(): Promise<void>;
}

/** Only this service, served like its main.ts does, on the embedded runtime: for tuning the limits. */
export async function startWebsocketOnly(options: { tuning?: Partial<WebsocketTuning>; now?: () => Date } = {}): Promise<WebsocketOnly> {
  const fixture = runtimeFixture({ delivery: { initialRetryMs: 20, maxRetryIntervalMs: 200, maxRetries: 5 } });
  const runtime = fixture.runtime();
  const logger = createLogger({ service: "websocket-test", level: "error" });
  const background = createBackground(logger);
  const jwtSecret = crypto.randomUUID() + crypto.randomUUID();
  const app = await createApp({
    ...serviceDeps("websocket", fixture.sidecar("websocket"), { logger, background }),
    jwtSecret,
    // No chat-api here: the tokens these tests mint name accounts that exist for the test's purposes.
    accountExists: async () => true,
    tuning: options.tuning,
    now: options.now,
  });
  runtime.registerApp(inProcessChannel("websocket", (request) => app.handle(request)));
  await runtime.start();
  background.start();
  const server = serveApp(app, { port: 0, hostname: "127.0.0.1", logger });
  const chatApi = fixture.sidecar("chat-api");
  return {
    url: `http://127.0.0.1:${server.port}`,
    tokens: createTokenService(jwtSecret),
    publish: (topic, event) => chatApi.publish("pubsub", topic, event, { partitionKey: event.subject }),
    async stop() {
      try {
        await background.stop();
        await server.stop(true);
      } finally {
        await fixture.cleanup();
      }
    },
  };
}
