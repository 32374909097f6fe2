import { Type } from "@sinclair/typebox";
import { randomBytes } from "node:crypto";
import { createLogger, loadConfig, serverErrorOptions, type Logger } from "@todo/common";
import { httpChannel } from "./runtime/app-channel.ts";
import { defaultRegistryDir, localNameRegistry, remoteSidecarChannel } from "./runtime/name-resolution.ts";
import { loopbackDaprApi } from "./loopback-dapr-api.ts";
import { keepDataPrivate } from "./private-files.ts";
import { createRuntime } from "./runtime/runtime.ts";

/**
 * A daprd-like standalone sidecar for one app, backed by the embedded
 * runtime: the conformance suite runs it where it would run daprd, and it
 * helps debugging a single service. Like daprd it serves its API first, then
 * waits for the app port before reading GET /dapr/subscribe.
 */
const SidecarConfig = Type.Object({
  APP_ID: Type.String({ minLength: 1 }),
  APP_PORT: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  APP_HOST: Type.String({ minLength: 1, default: "127.0.0.1" }),
  DAPR_HTTP_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3500 }),
  DAPR_HOST: Type.String({ minLength: 1, default: "127.0.0.1" }),
  DATA_DIR: Type.String({ minLength: 1, default: ".data" }),
  APP_API_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  DAPR_API_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  EMBEDDED_RETRY_INITIAL_MS: Type.Integer({ minimum: 1, default: 100 }),
  EMBEDDED_RETRY_MAX_INTERVAL_MS: Type.Integer({ minimum: 1, default: 15_000 }),
  EMBEDDED_RETRY_MAX: Type.Integer({ minimum: 0, default: 10 }),
  EMBEDDED_PARTITIONS: Type.Integer({ minimum: 1, maximum: 1024, default: 8 }),
  /** How long to wait for the app port before giving up. */
  EMBEDDED_APP_WAIT_MS: Type.Integer({ minimum: 0, default: 60_000 }),
  /** Where local sidecars find each other for service invocation (default: a per-user temp dir). */
  EMBEDDED_NAME_RESOLUTION_DIR: Type.Optional(Type.String({ minLength: 1 })),
  LOG_LEVEL: Type.Union([Type.Literal("debug"), Type.Literal("info"), Type.Literal("warn"), Type.Literal("error")], {
    default: "info",
  }),
});

/** daprd's default request body cap (--max-body-size). */
const maxBodyBytes = 4 * 1024 * 1024;

const config = loadConfig(SidecarConfig);
keepDataPrivate(config.DATA_DIR);
const logger = createLogger({ service: "sidecar", level: config.LOG_LEVEL }, { appId: config.APP_ID });

const names = localNameRegistry(config.EMBEDDED_NAME_RESOLUTION_DIR ?? defaultRegistryDir());
const internalToken = randomBytes(24).toString("base64url");

const runtime = createRuntime({
  dataDir: config.DATA_DIR,
  logger,
  daprApiToken: config.DAPR_API_TOKEN,
  internalToken,
  remoteApps: (appId) => {
    const address = names.resolve(appId);
    return address ? remoteSidecarChannel(address) : undefined;
  },
  delivery: {
    initialRetryMs: config.EMBEDDED_RETRY_INITIAL_MS,
    maxRetryIntervalMs: config.EMBEDDED_RETRY_MAX_INTERVAL_MS,
    maxRetries: config.EMBEDDED_RETRY_MAX,
    partitions: config.EMBEDDED_PARTITIONS,
  },
});
if (config.APP_PORT !== undefined) {
  const appUrl = `http://${config.APP_HOST}:${config.APP_PORT}`;
  runtime.registerApp(httpChannel(config.APP_ID, appUrl, config.APP_API_TOKEN), {
    port: config.APP_PORT,
    protocol: "http",
    channelAddress: config.APP_HOST,
  });
}

// Like bun start's Dapr port: a Host naming anything but this port on a loopback name (or DAPR_HOST) is refused,
// so a web page cannot reach it by DNS rebinding. The runtime checks DAPR_API_TOKEN itself (optional, as with
// daprd), since invocations forwarded by another local sidecar carry the internal token instead.
const sidecarApi = loopbackDaprApi({
  api: runtime.sidecar(config.APP_ID),
  apiToken: undefined,
  port: () => server.port!,
  extraHostNames: [config.DAPR_HOST.includes(":") ? `[${config.DAPR_HOST}]` : config.DAPR_HOST],
});
const server: Bun.Server<undefined> = Bun.serve({
  hostname: config.DAPR_HOST,
  port: config.DAPR_HTTP_PORT,
  ...serverErrorOptions(logger),
  fetch: sidecarApi,
  maxRequestBodySize: maxBodyBytes,
  // Invocations and deliveries may take as long as the app does, as with daprd.
  idleTimeout: 0,
});
const url = `http://${config.DAPR_HOST}:${server.port}`;
// Before the app is up only /v1.0/healthz/outbound answers 204, as with daprd.
logger.info("sidecar API listening", { url });

const shuttingDown = new AbortController();
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  shuttingDown.abort();
  logger.info("sidecar shutting down", { signal });
  if (config.APP_PORT !== undefined) names.unregister(config.APP_ID);
  await runtime.stop();
  await server.stop(true);
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));

if (config.APP_PORT !== undefined) {
  const open = await waitForPort(config.APP_HOST, config.APP_PORT, config.EMBEDDED_APP_WAIT_MS, shuttingDown.signal, logger);
  if (!open && !stopping) {
    logger.error("the app port never opened; giving up", { appHost: config.APP_HOST, appPort: config.APP_PORT });
    await runtime.stop();
    await server.stop(true);
    process.exit(1);
  }
}
if (!stopping) {
  await runtime.start();
  // Other local sidecars can now invoke this app (daprd announces itself over mDNS).
  if (config.APP_PORT !== undefined) names.register({ appId: config.APP_ID, url, pid: process.pid, internalToken });
  logger.info("sidecar ready", { url, dataDir: config.DATA_DIR, appPort: config.APP_PORT });
}

/** daprd blocks until the app accepts TCP connections on its port. */
async function waitForPort(host: string, port: number, timeoutMs: number, signal: AbortSignal, log: Logger): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let reported = false;
  while (!signal.aborted) {
    if (await accepts(host, port)) return true;
    if (Date.now() >= deadline) return false;
    if (!reported) {
      log.info("waiting for the app to listen", { appHost: host, appPort: port });
      reported = true;
    }
    await Bun.sleep(50);
  }
  return false;
}

async function accepts(host: string, port: number): Promise<boolean> {
  try {
    const socket = await Bun.connect({ hostname: host, port, socket: { data() {} } });
    socket.end();
    return true;
  } catch {
    return false;
  }
}
