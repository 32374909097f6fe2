import type { Logger } from "@todo/common";
import type { AppChannel } from "./app-channel.ts";
import { lockDataDir } from "./data-dir-lock.ts";
import { openRuntimeDb } from "./db.ts";
import { createSidecarApi } from "./http-api.ts";
import { invokeApp } from "./invoke.ts";
import { handleJobsApi } from "./jobs/http.ts";
import { createJobScheduler } from "./jobs/scheduler.ts";
import { handleMetadataApi, runtimeMetadata, sidecarMetadata, type AppConnection, type ComponentNames } from "./metadata.ts";
import { createBroker } from "./pubsub/broker.ts";
import { handleBulkPublish, handlePublish } from "./pubsub/publish-api.ts";
import { loadSubscriptions } from "./pubsub/subscriptions.ts";
import { handleSecretsApi } from "./secrets/http.ts";
import { createSecretStore } from "./secrets/secret-store.ts";
import { handleStateApi } from "./state/http.ts";
import { createStateStore } from "./state/state-store.ts";

/**
 * The embedded Dapr-compatible runtime: one SQLite file, every sidecar API
 * our services use, and the apps it delivers to. Each app sees its own
 * sidecar through `sidecar(appId)`, in-process or behind Bun.serve.
 */
export interface RuntimeOptions {
  dataDir: string;
  logger: Logger;
  components?: { pubsub?: string[]; state?: string[]; secrets?: string[] };
  /** When set, every API call but GET /v1.0/healthz(/outbound) needs header dapr-api-token. */
  daprApiToken?: string;
  delivery?: {
    initialRetryMs?: number;
    maxRetryIntervalMs?: number;
    maxRetries?: number;
    partitions?: number;
    /** Acknowledged events older than this leave the log (default 7 days). */
    retentionMs?: number;
    /** How long stop() waits for deliveries in flight (default 5 s, like daprd's graceful shutdown). */
    stopTimeoutMs?: number;
  };
  /** Secrets source; default process.env. */
  env?: Record<string, string | undefined>;
  /** Secret names generated once into DATA_DIR/secrets.json. */
  generateSecrets?: string[];
  /** The clock (ms since the epoch) for delivery, state TTL and jobs; tests move it. */
  now?: () => number;
  /** Invocation only: reaches apps hosted elsewhere (another sidecar-main), by app id. */
  remoteApps?: (appId: string) => AppChannel | undefined;
  /** Accepts invocations forwarded by other local sidecars (see name-resolution.ts). */
  internalToken?: string;
}

export interface Runtime {
  /** Before start(). `connection` only feeds the metadata API (daprd's appConnectionProperties). */
  registerApp(channel: AppChannel, connection?: AppConnection): void;
  /** Loads GET /dapr/subscribe of every app, starts delivery and the job scheduler. */
  start(): Promise<void>;
  /** The Dapr HTTP API as that app's sidecar serves it. */
  sidecar(appId: string): (request: Request) => Promise<Response>;
  /** Runtime-wide: every registered app with its subscriptions. */
  metadata(): object;
  /** Graceful: stop taking work, finish in-flight deliveries and triggers, close the db. */
  stop(): Promise<void>;
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const components: ComponentNames = {
    pubsub: options.components?.pubsub ?? ["pubsub"],
    state: options.components?.state ?? ["statestore"],
    secrets: options.components?.secrets ?? ["secretstore"],
  };
  const db = openRuntimeDb(options.dataDir);
  const unlockDataDir = lockDataDir(options.dataDir);
  const apps = new Map<string, { channel: AppChannel; connection: AppConnection | undefined }>();
  const channel = (appId: string) => apps.get(appId)?.channel;
  const invocationChannel = (appId: string) => channel(appId) ?? options.remoteApps?.(appId);
  const extended = new Map<string, Record<string, string>>();
  const sidecars = new Map<string, (request: Request) => Promise<Response>>();

  const stateStore = createStateStore(db, { now: options.now });
  const secretStore = createSecretStore({
    dataDir: options.dataDir,
    env: options.env ?? process.env,
    generate: options.generateSecrets ?? [],
  });
  const scheduler = createJobScheduler({ db, channel, logger: logger.child({ component: "jobs" }), now: options.now });
  const broker = createBroker({
    db,
    logger: logger.child({ component: "pubsub" }),
    pubsubNames: components.pubsub,
    channel,
    retry: {
      initialRetryMs: options.delivery?.initialRetryMs ?? 100,
      maxRetryIntervalMs: options.delivery?.maxRetryIntervalMs ?? 15_000,
      maxRetries: options.delivery?.maxRetries ?? 10,
    },
    partitions: options.delivery?.partitions ?? 8,
    retentionMs: options.delivery?.retentionMs,
    stopTimeoutMs: options.delivery?.stopTimeoutMs,
    now: options.now,
  });

  let phase: "created" | "starting" | "running" | "stopping" | "stopped" = "created";

  const buildSidecar = (appId: string) => {
    const publishing = { appId, broker, now: () => new Date(now()) };
    return createSidecarApi({
      apiToken: options.daprApiToken,
      internalToken: options.internalToken,
      onError: (error, request) => logger.error("sidecar API call failed", { appId, method: request.method, url: request.url, error }),
      areas: {
        publish: (request, pubsub, topic) => handlePublish(publishing, request, pubsub, topic),
        bulkPublish: (request, pubsub, topic) => handleBulkPublish(publishing, request, pubsub, topic),
        state: (request, path) => handleStateApi(stateStore, { appId, stores: components.state }, request, path),
        secrets: (request, path) => handleSecretsApi(secretStore, { stores: components.secrets }, request, path),
        jobs: (request, name) => handleJobsApi(scheduler, appId, request, name),
        invoke: (request, callee, method, forwardedBy) => {
          // A forwarded call is served by a local app only: never forwarded again (no loops).
          const reach = forwardedBy ? channel : invocationChannel;
          return invokeApp({ callerAppId: appId, channel: reach, logger }, request, callee, method, forwardedBy);
        },
        metadata: (request, key) =>
          handleMetadataApi(request, key, {
            read: () =>
              sidecarMetadata({
                appId,
                components,
                subscriptions: broker.subscriptions(appId),
                appConnection: apps.get(appId)?.connection,
                extended: extended.get(appId) ?? {},
              }),
            extend: (name, value) => extended.set(appId, { ...extended.get(appId), [name]: value }),
          }),
        healthy: () => phase === "running",
        outboundHealthy: () => phase !== "stopped",
      },
    });
  };

  return {
    registerApp(appChannel, connection) {
      if (phase !== "created") logger.warn("app registered after start: it gets no subscriptions", { appId: appChannel.appId });
      apps.set(appChannel.appId, { channel: appChannel, connection });
    },
    async start() {
      if (phase !== "created") return;
      phase = "starting";
      await Promise.all(
        [...apps.values()].map(async ({ channel: appChannel }) => {
          const subscriptions = await loadSubscriptions(appChannel, { pubsubNames: components.pubsub, logger });
          broker.setSubscriptions(appChannel.appId, subscriptions);
        }),
      );
      if (phase !== "starting") return; // stop() was called meanwhile
      stateStore.start();
      broker.start();
      scheduler.start();
      phase = "running";
      logger.info("runtime started", {
        apps: [...apps.keys()],
        subscriptions: broker.subscriptions().map((s) => `${s.appId}:${s.pubsubName}/${s.topic}`),
      });
    },
    sidecar(appId) {
      let handler = sidecars.get(appId);
      if (!handler) {
        handler = buildSidecar(appId);
        sidecars.set(appId, handler);
      }
      return handler;
    },
    metadata: () =>
      runtimeMetadata({
        components,
        apps: [...apps.entries()].map(([appId, app]) => ({
          appId,
          subscriptions: broker.subscriptions(appId),
          appConnection: app.connection,
        })),
      }),
    async stop() {
      if (phase === "stopping" || phase === "stopped") return;
      phase = "stopping";
      await Promise.all([broker.stop(), scheduler.stop()]);
      stateStore.stop();
      db.close();
      unlockDataDir();
      phase = "stopped";
      logger.info("runtime stopped");
    },
  };
}
