/**
 * The `daprd` target: a real self-hosted daprd per sidecar, over the real
 * stack's Kafka, Redis and Dapr Scheduler (tests/stack). When no stack is up,
 * the infrastructure is started once for the test process and stopped when it
 * exits. Each sidecar gets its own resources dir: the components the suite
 * needs, a secrets file holding `conformance-secret`, and a Resiliency with a
 * quick inbound retry policy (without one daprd dead-letters on the first failure).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { daprdHealthy, daprdSpec } from "../../stack/daprd.ts";
import { kafkaReady, redisReady, schedulerReady } from "../../stack/infra.ts";
import { PORTS } from "../../stack/layout.ts";
import { consumerGroupCaughtUp } from "../../stack/kafka-offsets.ts";
import { daprBinaries, readStack, startInfra } from "../../stack/stack.ts";
import { spawnChild } from "./child-process.ts";
import { freePort } from "./free-port.ts";
import { startSidecarProcess } from "./sidecar-process.ts";
import type { Sidecar, SidecarStartOptions, SidecarTarget, TargetProfile } from "./sidecar-target.ts";

const START_TIMEOUT_MS = 60_000;
const INBOUND_RETRIES = 3;

export function createDaprdTarget(): SidecarTarget {
  const secretValue = randomBytes(18).toString("base64url");
  const profile: TargetProfile = {
    name: "daprd",
    components: { pubsub: "pubsub", state: "statestore", secrets: "secretstore" },
    secret: { name: "conformance-secret", value: secretValue },
    pubsubInboundRetries: INBOUND_RETRIES,
    // The Scheduler triggers from its own clock through a stream to daprd.
    jobLatenessBoundMs: 1_000,
    // A new consumer group joins Kafka and is assigned partitions first.
    deliveryTimeoutMs: 20_000,
  };
  return { profile, start: (options) => startDaprd(options, secretValue), acknowledgementsDurable: consumerGroupCaughtUp };
}

let infrastructure: Promise<{ daprd: string }> | undefined;

/** The stack's infrastructure if it is up, else started once for this test process. */
function ensureInfrastructure(): Promise<{ daprd: string }> {
  infrastructure ??= (async () => {
    const stack = readStack();
    if (stack) return { daprd: stack.binaries.daprd };
    const { daprd } = await daprBinaries();
    if ((await kafkaReady()) && (await redisReady()) && (await schedulerReady())) return { daprd };
    const dir = mkdtempSync(join(tmpdir(), "dapr-conformance-infra-"));
    const infra = await startInfra(dir, { postgres: false });
    stopWithThisProcess(infra.processes.map((record) => record.pid), dir);
    return { daprd };
  })();
  return infrastructure;
}

/**
 * bun test fires no "exit" event, so a detached watchdog kills the
 * infrastructure this process started once the process is gone.
 */
function stopWithThisProcess(pids: number[], dir: string): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -9 ${pids.join(" ")} 2>/dev/null; rm -rf '${dir}'`;
  spawn("bash", ["-c", script], { detached: true, stdio: "ignore" }).unref();
}

async function startDaprd(options: SidecarStartOptions, secretValue: string): Promise<Sidecar> {
  const { daprd } = await ensureInfrastructure();
  const resourcesDir = writeResources(options.dataDir, secretValue);
  const httpPort = freePort();
  const spec = daprdSpec({
    daprd,
    appId: options.appId,
    appPort: options.appPort,
    httpPort,
    grpcPort: freePort(),
    internalGrpcPort: freePort(),
    metricsPort: freePort(),
    resourcesDir,
    daprApiToken: options.daprApiToken,
    appApiToken: options.appApiToken,
    log: join(options.dataDir, "daprd.log"),
    logLevel: "warn",
  });
  const env = { ...spec.env, ...options.env };
  return await startSidecarProcess({
    appId: options.appId,
    baseUrl: `http://127.0.0.1:${httpPort}`,
    kind: "daprd",
    spawn: () => spawnChild({ cmd: spec.argv, env, cwd: tmpdir() }),
    healthy: () => daprdHealthy(httpPort),
    startTimeoutMs: START_TIMEOUT_MS,
  });
}

/** The three components and the Resiliency the suite expects (README, "Targets"). */
function writeResources(dataDir: string, secretValue: string): string {
  const dir = join(dataDir, "resources");
  mkdirSync(dir, { recursive: true });
  const secretsFile = join(dataDir, "secrets.json");
  writeFileSync(secretsFile, JSON.stringify({ "conformance-secret": secretValue }), { mode: 0o600 });
  const component = (name: string, type: string, metadata: Record<string, string>) =>
    [
      "apiVersion: dapr.io/v1alpha1",
      "kind: Component",
      `metadata: { name: ${name} }`,
      "spec:",
      `  type: ${type}`,
      "  version: v1",
      "  metadata:",
      ...Object.entries(metadata).map(([key, value]) => `    - { name: ${key}, value: ${JSON.stringify(value)} }`),
      "",
    ].join("\n");
  writeFileSync(
    join(dir, "pubsub.yaml"),
    component("pubsub", "pubsub.kafka", {
      brokers: `127.0.0.1:${PORTS.kafka}`,
      authType: "none",
      // Topics are new each run; the first event may be published before the consumer group joins.
      initialOffset: "oldest",
      version: "3.6.0",
    }),
  );
  writeFileSync(join(dir, "statestore.yaml"), component("statestore", "state.redis", { redisHost: `127.0.0.1:${PORTS.redis}`, actorStateStore: "false" }));
  writeFileSync(join(dir, "secretstore.yaml"), component("secretstore", "secretstores.local.file", { secretsFile, nestedSeparator: ":" }));
  writeFileSync(
    join(dir, "resiliency.yaml"),
    [
      "apiVersion: dapr.io/v1alpha1",
      "kind: Resiliency",
      "metadata: { name: conformance }",
      "spec:",
      "  policies:",
      "    retries:",
      `      quickInbound: { policy: constant, duration: 100ms, maxRetries: ${INBOUND_RETRIES} }`,
      "  targets:",
      "    components:",
      "      pubsub:",
      "        inbound: { retry: quickInbound }",
      "",
    ].join("\n"),
  );
  return dir;
}
