import { Type } from "@sinclair/typebox";
import { createBackground, createDaprClient, createLogger, loadConfig } from "@todo/common";
import { join } from "node:path";
import { Registry } from "prom-client";
import { hostedApps } from "./hosted-apps.ts";
import { createPublicRouter, type PublicRoute } from "./public-router.ts";
import { inProcessChannel } from "./runtime/app-channel.ts";
import { createRuntime } from "./runtime/runtime.ts";
import { createSiteHandler } from "./site.ts";

/**
 * `bun start`: the embedded Dapr-compatible runtime, every service app and
 * the site in one process on one port. Each app talks to "its sidecar"
 * through an in-process fetch, exactly as it would talk to daprd.
 */
const EmbeddedConfig = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  HOST: Type.String({ default: "127.0.0.1" }),
  DATA_DIR: Type.String({ minLength: 1, default: ".data" }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: "^postgres(ql)?://" })),
  DAPR_HTTP_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3500 }),
  LOG_LEVEL: Type.Union([Type.Literal("debug"), Type.Literal("info"), Type.Literal("warn"), Type.Literal("error")], {
    default: "info",
  }),
  DAPR_API_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  SITE_DIR: Type.String({ default: join(import.meta.dir, "../../../site/dist") }),
});

const config = loadConfig(EmbeddedConfig);
const logger = createLogger({ service: "embedded", level: config.LOG_LEVEL });
const components = { pubsub: "pubsub", stateStore: "statestore", secretStore: "secretstore" };

const runtime = createRuntime({
  dataDir: config.DATA_DIR,
  logger: logger.child({ component: "runtime" }),
  daprApiToken: config.DAPR_API_TOKEN,
  generateSecrets: ["jwt-secret", "admin-token"],
});

const registry = new Registry();
const background = createBackground(logger);
const publicRoutes: PublicRoute[] = [];
const apps: { appId: string; handle: (request: Request) => Promise<Response> }[] = [];
// In-process calls need no secret, but the apps check it like they would behind daprd.
const appApiToken = crypto.randomUUID();
const host = { dataDir: config.DATA_DIR, databaseUrl: config.DATABASE_URL };
for (const hosted of hostedApps) {
  const app = await hosted.create({
    dapr: createDaprClient({ baseUrl: "http://dapr.local", fetch: runtime.sidecar(hosted.appId), apiToken: config.DAPR_API_TOKEN }),
    logger: createLogger({ service: hosted.appId, level: config.LOG_LEVEL }),
    components,
    registry,
    collectProcessMetrics: hosted.appId === "chat-api",
    appApiToken,
    background,
  }, host);
  const handle = (request: Request): Promise<Response> => app.handle(request);
  runtime.registerApp(inProcessChannel(hosted.appId, handle, appApiToken));
  apps.push({ appId: hosted.appId, handle });
  for (const prefix of hosted.publicPaths) publicRoutes.push({ prefix, handle });
}
await runtime.start();
background.start();

const runtimeApi = runtime.sidecar("embedded");
const router = createPublicRouter(
  [
    { prefix: "/healthz", handle: () => Response.json({ status: "ok" }) },
    { prefix: "/readyz", handle: () => readiness() },
    { prefix: "/metrics", handle: () => metrics() },
    { prefix: "/v1.0/healthz", handle: runtimeApi },
    { prefix: "/v1.0/metadata", handle: (request) => (request.method === "GET" ? Response.json(runtime.metadata()) : notAllowed()) },
    ...publicRoutes,
  ],
  createSiteHandler(config.SITE_DIR),
);

const server = await listen("PORT", () => Bun.serve({ port: config.PORT, hostname: config.HOST, fetch: router }));
// The full Dapr HTTP API, like a sidecar on localhost, for debugging and tooling.
const sidecarServer =
  config.DAPR_HTTP_PORT === 0
    ? undefined
    : await listen("DAPR_HTTP_PORT", () => Bun.serve({ port: config.DAPR_HTTP_PORT, hostname: "127.0.0.1", fetch: runtimeApi }));

/** A port already taken is a configuration problem: say which variable to change, then stop cleanly. */
async function listen(variable: string, serve: () => Bun.Server<undefined>) {
  try {
    return serve();
  } catch (error) {
    const inUse = (error as { code?: string }).code === "EADDRINUSE";
    logger.error(inUse ? `the port is already in use; set ${variable} to another port` : "cannot listen", { variable, error });
    await runtime.stop();
    process.exit(1);
  }
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info("shutting down", { signal });
  await server.stop();
  await sidecarServer?.stop();
  await background.stop();
  await runtime.stop();
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));

logger.info("ready", {
  url: `http://${config.HOST === "0.0.0.0" ? "localhost" : config.HOST}:${server.port}`,
  daprApi: sidecarServer ? `http://127.0.0.1:${sidecarServer.port}` : undefined,
  dataDir: config.DATA_DIR,
});
console.log(`\n  Todo is running at http://localhost:${server.port}\n`);

async function readiness(): Promise<Response> {
  const runtimeReady = (await runtimeApi(new Request("http://dapr.local/v1.0/healthz"))).status === 204;
  const checks: Record<string, boolean> = { runtime: runtimeReady };
  for (const { appId, handle } of apps) {
    checks[appId] = (await handle(new Request(`http://${appId}.app.local/readyz`))).ok;
  }
  const ready = Object.values(checks).every(Boolean);
  return Response.json({ status: ready ? "ready" : "not-ready", checks }, { status: ready ? 200 : 503 });
}

async function metrics(): Promise<Response> {
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
}

function notAllowed() {
  return new Response("method not allowed", { status: 405 });
}

