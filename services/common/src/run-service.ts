import { Type, type Static, type TObject, type TProperties } from "@sinclair/typebox";
import { Registry } from "prom-client";
import { createBackground } from "./background.ts";
import { canonicalRequest } from "./canonical-request.ts";
import { BaseConfig, loadConfig } from "./config.ts";
import { createDaprClient } from "./dapr/client.ts";
import type { DaprClient } from "./dapr/types.ts";
import { createLogger, type Logger } from "./logger.ts";
import type { Database } from "./db/database.ts";
import type { AnyElysia, ServiceDescriptor } from "./service-descriptor.ts";
import { withPeerAddress } from "./client-address.ts";
import { addSecurityHeaders } from "./security-headers.ts";
import { serverErrorOptions } from "./server-error.ts";
import { gatewayOf } from "./websocket-gateway.ts";

/**
 * main.ts of every service under a real daprd sidecar: config from env (the
 * shared settings plus the service's own), the Dapr client on
 * 127.0.0.1:DAPR_HTTP_PORT, listen on PORT, drain on SIGTERM. Services that
 * own or read tables say how to open the database here.
 */
export async function runService<S extends TProperties>(
  service: ServiceDescriptor<S>,
  options: { openDatabase?: (logger: Logger) => Promise<Database> } = {},
) {
  // One read of the environment, so a bad start names every offending variable at once.
  const config = loadConfig(Type.Object({ ...BaseConfig, ...service.settings })) as unknown as Static<TObject<typeof BaseConfig>> &
    Static<TObject<S>>;
  const logger = createLogger({ service: service.appId, level: config.LOG_LEVEL });
  const dapr = createDaprClient({
    baseUrl: config.DAPR_HTTP_ENDPOINT ?? `http://127.0.0.1:${config.DAPR_HTTP_PORT}`,
    apiToken: config.DAPR_API_TOKEN,
  });
  await waitForSidecar(dapr, logger);
  const background = createBackground(logger);
  let database: Promise<Database> | undefined;
  const openDatabase = () => {
    if (!options.openDatabase) throw new Error(`${service.appId} has no database`);
    database ??= options.openDatabase(logger).then((db) => {
      background.add("database", { start: () => {}, stop: () => db.close() });
      return db;
    });
    return database;
  };
  const app = await service.createApp(
    {
      dapr,
      logger,
      components: { pubsub: config.PUBSUB_NAME, stateStore: config.STATE_STORE, secretStore: config.SECRET_STORE },
      registry: new Registry(),
      collectProcessMetrics: true,
      appApiToken: config.APP_API_TOKEN,
      background,
    },
    // Kubernetes sets HOSTNAME to the pod name: stable per replica, distinct between replicas.
    { settings: config, database: openDatabase, replicaId: process.env.HOSTNAME ?? crypto.randomUUID() },
  );
  const server = serveApp(app, { port: config.PORT, hostname: "0.0.0.0", logger });
  background.start();
  logger.info("listening", { port: server.port });

  const shutdown = async (signal: string) => {
    logger.info("shutting down", { signal });
    // stop() without force lets in-flight requests (event deliveries) finish; it also waits for open sockets.
    gatewayOf(app)?.close();
    await server.stop(false);
    await background.stop();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

/** How long a starting service waits for its sidecar before it gives up (exit 1, and Kubernetes restarts it). */
const SIDECAR_WAIT_MS = 60_000;

/**
 * On Kubernetes daprd starts next to the app, not before it, and apps read
 * secrets while they start: wait for the sidecar's outbound health (which
 * does not wait for the app) instead of crashing on a refused connection.
 */
async function waitForSidecar(dapr: DaprClient, logger: Logger) {
  const deadline = Date.now() + SIDECAR_WAIT_MS;
  let waiting = false;
  while (!(await dapr.healthy({ outbound: true }))) {
    if (Date.now() > deadline) throw new Error(`the Dapr sidecar did not become healthy within ${SIDECAR_WAIT_MS / 1000} s`);
    if (!waiting) logger.info("waiting for the Dapr sidecar");
    waiting = true;
    await Bun.sleep(250);
  }
}

/**
 * Bun.serve for the app, with its WebSocket gateway when it has one. Every
 * request passes the canonical-request gate first (400 for a malformed Host
 * or path), so the app's own guards and Elysia's router read the same path.
 */
export function serveApp(app: AnyElysia, { port, hostname, logger }: { port: number; hostname: string; logger: Logger }) {
  const gateway = gatewayOf(app);
  const server = Bun.serve({
    port,
    hostname,
    ...serverErrorOptions(logger),
    fetch: async (request, bunServer) => {
      const accepted = canonicalRequest(request);
      if (!accepted.ok) return addSecurityHeaders(request, accepted.response);
      // The upgrade needs Bun's own request object; its URL passed the gate above.
      const upgrade = await gateway?.handle(request, bunServer);
      if (upgrade === "upgraded") return undefined;
      // The app sees the TCP peer as the last X-Forwarded-For entry (client-address.ts).
      const response = upgrade ?? (await app.handle(withPeerAddress(accepted.request, bunServer.requestIP(request)?.address)));
      // Behind the Ingress these are the headers the browser gets (ingress-nginx passes them through).
      return addSecurityHeaders(request, response);
    },
    websocket: gateway?.websocket ?? { message() {} },
  });
  gateway?.attach(server);
  return server;
}
