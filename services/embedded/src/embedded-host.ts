import {
  addSecurityHeaders,
  canonicalRequest,
  createBackground,
  createDaprClient,
  createLogger,
  gatewayOf,
  loadConfig,
  withPeerAddress,
  type Logger,
  type LogLevel,
  serverErrorOptions,
  type WebSocketGateway,
} from "@todo/common";
import { openMigratedDatabase, type Database } from "@todo/common/db";
import { join } from "node:path";
import { Registry } from "prom-client";
import { Type } from "@sinclair/typebox";
import { services, serviceSettings } from "./services.ts";
import { createPublicRouter, type PublicRoute } from "./public-router.ts";
import { inProcessChannel } from "./runtime/app-channel.ts";
import { createRuntime, type Runtime, type RuntimeOptions } from "./runtime/runtime.ts";
import { createSiteHandler } from "./site.ts";
import { loopbackDaprApi } from "./loopback-dapr-api.ts";
import { keepDataPrivate, tighten } from "./private-files.ts";

export interface EmbeddedHostConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** The full Dapr API on 127.0.0.1 for debugging; 0 (the default of `bun start`) keeps it off. */
  daprHttpPort: number;
  logLevel: LogLevel;
  /** Required when daprHttpPort is set: every call there but the health probes must carry it. */
  daprApiToken?: string;
  siteDir: string;
  /** Delivery tuning of the runtime (tests make retries quick). */
  delivery?: RuntimeOptions["delivery"];
  /** The services' own settings (`serviceSettings`), as main.ts read them; their defaults otherwise. */
  settings?: Record<string, unknown>;
  /**
   * PGlite in a worker thread (default), so SQL runs on another core than HTTP and the runtime;
   * false keeps it on this thread (to compare, docs/performance.md).
   */
  pgliteInWorker?: boolean;
}

export interface EmbeddedHost {
  url: string;
  daprApiUrl?: string;
  runtime: Runtime;
  logger: Logger;
  /** Every hosted app's routes and the prefixes the public port forwards to it (for tests of the public surface). */
  apps: HostedAppRoutes[];
  /** Graceful: stop taking requests, stop background work, drain the runtime, close the database. */
  stop(): Promise<void>;
}

export interface HostedAppRoutes {
  appId: string;
  publicPaths: readonly string[];
  routes: { method: string; path: string }[];
}

export class PortInUseError extends Error {
  constructor(readonly variable: string, cause: unknown) {
    super(`the port is already in use; set ${variable} to another port`, { cause });
    this.name = "PortInUseError";
  }
}

/**
 * The embedded Dapr-compatible runtime, every service app and the site in one
 * process on one port. Each app talks to "its sidecar" through an in-process
 * fetch, exactly as it would talk to daprd.
 */
export async function startEmbeddedHost(config: EmbeddedHostConfig): Promise<EmbeddedHost> {
  if (config.daprHttpPort !== 0 && !config.daprApiToken) throw new DaprApiTokenMissingError();
  keepDataPrivate(config.dataDir);
  const logger = createLogger({ service: "embedded", level: config.logLevel });
  const components = { pubsub: "pubsub", stateStore: "statestore", secretStore: "secretstore" };
  const runtime = createRuntime({
    dataDir: config.dataDir,
    logger: logger.child({ component: "runtime" }),
    daprApiToken: config.daprApiToken,
    generateSecrets: ["jwt-secret", "admin-token"],
    delivery: config.delivery,
  });

  // PGlite is one process's database: the apps that own tables share one instance.
  let database: Promise<Database> | undefined;
  const openDatabase = () =>
    (database ??= openMigratedDatabase(
      {
        databaseUrl: config.databaseUrl,
        dataDir: join(config.dataDir, "chat-api"),
        pgliteWorker: config.pgliteInWorker ?? true,
      },
      logger.child({ component: "database" }),
    ).then((db) => {
      tighten(config.dataDir);
      return db;
    }));
  const settings = config.settings ?? loadConfig(Type.Object(serviceSettings), {});

  const registry = new Registry();
  const background = createBackground(logger);
  const publicRoutes: PublicRoute[] = [];
  const apps: { appId: string; handle: (request: Request) => Promise<Response> }[] = [];
  const appRoutes: HostedAppRoutes[] = [];
  let gateway: WebSocketGateway | undefined;
  // In-process calls need no secret, but the apps check it as they would behind daprd.
  const appApiToken = crypto.randomUUID();
  for (const service of services) {
    const app = await service.createApp(
      {
        dapr: createDaprClient({
          baseUrl: "http://dapr.local",
          fetch: runtime.sidecar(service.appId),
          apiToken: config.daprApiToken,
        }),
        logger: createLogger({ service: service.appId, level: config.logLevel }),
        components,
        registry,
        collectProcessMetrics: service.appId === "chat-api",
        appApiToken,
        background,
      },
      { settings, database: openDatabase, replicaId: "local" },
    );
    const handle = (request: Request): Promise<Response> => app.handle(request);
    runtime.registerApp(inProcessChannel(service.appId, handle, appApiToken));
    apps.push({ appId: service.appId, handle });
    appRoutes.push({
      appId: service.appId,
      publicPaths: service.publicPaths,
      routes: app.routes.map(({ method, path }) => ({ method, path })),
    });
    for (const prefix of service.publicPaths) publicRoutes.push({ prefix, handle });
    gateway ??= gatewayOf(app);
  }
  await runtime.start();
  background.start();

  const runtimeApi = runtime.sidecar("embedded");
  const readiness = async (): Promise<Response> => {
    const checks: Record<string, boolean> = {
      runtime: (await runtimeApi(new Request("http://dapr.local/v1.0/healthz"))).status === 204,
    };
    for (const { appId, handle } of apps) {
      checks[appId] = (await handle(new Request(`http://${appId}.app.local/readyz`))).ok;
    }
    const ready = Object.values(checks).every(Boolean);
    return Response.json({ status: ready ? "ready" : "not-ready", checks }, { status: ready ? 200 : 503 });
  };
  const router = createPublicRouter(
    [
      { prefix: "/healthz", handle: () => Response.json({ status: "ok" }) },
      { prefix: "/readyz", handle: readiness },
      {
        prefix: "/metrics",
        handle: async () => new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } }),
      },
      { prefix: "/v1.0/healthz", handle: runtimeApi },
      {
        prefix: "/v1.0/metadata",
        handle: (request) =>
          request.method === "GET" ? Response.json(runtime.metadata()) : new Response("method not allowed", { status: 405 }),
      },
      ...publicRoutes,
    ],
    createSiteHandler(config.siteDir),
  );

  const stopEverything = async () => {
    await background.stop();
    await runtime.stop();
    if (database) await (await database).close();
  };

  let server: Bun.Server<any>;
  let sidecarServer: Bun.Server<undefined> | undefined;
  try {
    server = listen("PORT", () =>
      Bun.serve({
        port: config.port,
        hostname: config.host,
        ...serverErrorOptions(logger),
        fetch: async (request, bunServer) => {
          const accepted = canonicalRequest(request);
          if (!accepted.ok) return addSecurityHeaders(request, accepted.response);
          // The upgrade needs Bun's own request object; its URL passed the gate above.
          const upgrade = await gateway?.handle(request, bunServer);
          if (upgrade === "upgraded") return undefined;
          // The apps see the TCP peer as the last X-Forwarded-For entry (sign-in throttling per client).
          const peer = bunServer.requestIP(request)?.address;
          return addSecurityHeaders(request, upgrade ?? (await router(withPeerAddress(accepted.request, peer))));
        },
        websocket: gateway?.websocket ?? { message() {} },
      }),
    );
    gateway?.attach(server);
    const daprApiToken = config.daprApiToken;
    sidecarServer =
      config.daprHttpPort === 0 || !daprApiToken
        ? undefined
        : listen("DAPR_HTTP_PORT", () => {
            const guarded = loopbackDaprApi({ api: runtimeApi, apiToken: daprApiToken, port: () => daprServer.port! });
            const daprServer: Bun.Server<undefined> = Bun.serve({
              port: config.daprHttpPort,
              hostname: "127.0.0.1",
              ...serverErrorOptions(logger),
              fetch: guarded,
            });
            return daprServer;
          });
  } catch (error) {
    await stopEverything();
    throw error;
  }

  return {
    url: `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${server.port}`,
    daprApiUrl: sidecarServer ? `http://127.0.0.1:${sidecarServer.port}` : undefined,
    runtime,
    logger,
    apps: appRoutes,
    async stop() {
      gateway?.close();
      await server.stop();
      await sidecarServer?.stop();
      await stopEverything();
    },
  };
}

/** The Dapr API port serves secrets: it never opens without a token. */
export class DaprApiTokenMissingError extends Error {
  readonly variable = "DAPR_API_TOKEN";
  constructor() {
    super("DAPR_HTTP_PORT opens the Dapr API, which hands out secrets: set DAPR_API_TOKEN too (callers send it as dapr-api-token)");
    this.name = "DaprApiTokenMissingError";
  }
}

/** A taken port is a configuration problem: say which variable to change. */
function listen<T>(variable: string, serve: () => T): T {
  try {
    return serve();
  } catch (error) {
    if ((error as { code?: string }).code === "EADDRINUSE") throw new PortInUseError(variable, error);
    throw error;
  }
}
