/**
 * The `embedded` target: our Dapr-compatible runtime as a daprd-like child
 * process (services/embedded/src/sidecar-main.ts), configured through the env
 * variables documented in the runtime contract.
 */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { spawnChild } from "./child-process.ts";
import { freePort } from "./free-port.ts";
import { startSidecarProcess } from "./sidecar-process.ts";
import type { Sidecar, SidecarStartOptions, SidecarTarget, TargetProfile } from "./sidecar-target.ts";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SIDECAR_MAIN = fileURLToPath(new URL("../../../services/embedded/src/sidecar-main.ts", import.meta.url));
const START_TIMEOUT_MS = 20_000;

/** Variables of the sidecar contract that must not leak in from the test runner's env. */
const CONTRACT_ENV = [
  "APP_ID",
  "APP_PORT",
  "APP_HOST",
  "DAPR_HTTP_PORT",
  "DAPR_HOST",
  "DATA_DIR",
  "APP_API_TOKEN",
  "DAPR_API_TOKEN",
  "EMBEDDED_RETRY_INITIAL_MS",
  "EMBEDDED_RETRY_MAX_INTERVAL_MS",
  "EMBEDDED_RETRY_MAX",
  "EMBEDDED_PARTITIONS",
  "EMBEDDED_APP_WAIT_MS",
  "EMBEDDED_NAME_RESOLUTION_DIR",
  "LOG_LEVEL",
];

export function createEmbeddedTarget(): SidecarTarget {
  // The runtime reads `conformance-secret` from the env var SECRET_CONFORMANCE_SECRET.
  const secretValue = randomBytes(18).toString("base64url");
  const profile: TargetProfile = {
    name: "embedded",
    components: { pubsub: "pubsub", state: "statestore", secrets: "secretstore" },
    secret: { name: "conformance-secret", value: secretValue },
    pubsubInboundRetries: 3,
    jobLatenessBoundMs: 50,
    deliveryTimeoutMs: 5_000,
  };

  return {
    profile,
    start: (options) => startEmbeddedSidecar(options, secretValue),
    // An ack is committed to SQLite before the next delivery of its partition.
    acknowledgementsDurable: async () => true,
  };
}

async function startEmbeddedSidecar(options: SidecarStartOptions, secretValue: string): Promise<Sidecar> {
  const port = freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = sidecarEnv(options, port, secretValue);
  return await startSidecarProcess({
    appId: options.appId,
    baseUrl,
    kind: "embedded sidecar",
    spawn: () => spawnChild({ cmd: [process.execPath, SIDECAR_MAIN], env, cwd: REPO_ROOT }),
    healthy: async () => (await fetch(`${baseUrl}/v1.0/healthz`).catch(() => undefined))?.status === 204,
    startTimeoutMs: START_TIMEOUT_MS,
  });
}

function sidecarEnv(options: SidecarStartOptions, port: number, secretValue: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !CONTRACT_ENV.includes(key)) env[key] = value;
  }
  Object.assign(env, {
    APP_ID: options.appId,
    APP_PORT: String(options.appPort),
    DAPR_HTTP_PORT: String(port),
    DATA_DIR: options.dataDir,
    EMBEDDED_RETRY_INITIAL_MS: "50",
    EMBEDDED_RETRY_MAX_INTERVAL_MS: "200",
    EMBEDDED_RETRY_MAX: "3",
    LOG_LEVEL: "warn",
    SECRET_CONFORMANCE_SECRET: secretValue,
  });
  if (options.daprApiToken) env.DAPR_API_TOKEN = options.daprApiToken;
  if (options.appApiToken) env.APP_API_TOKEN = options.appApiToken;
  return { ...env, ...options.env };
}
