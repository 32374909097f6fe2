/**
 * One test file's fixture: a temp data dir, the test app (listening first,
 * because daprd reads /dapr/subscribe once at start) and its sidecar from the
 * selected target. Names carry a random run suffix so a real Kafka, Redis or
 * Scheduler never mixes runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { daprApi, type DaprApi } from "./dapr-api.ts";
import { selectTarget } from "./select-target.ts";
import type { Sidecar, SidecarTarget, TargetProfile } from "./sidecar-target.ts";
import { createTestApp, type SubscriptionSpec, type TestApp } from "./test-app.ts";

export interface RunNames {
  readonly suffix: string;
  /** `<base>-<suffix>`: for topics, keys, job names and app ids. */
  name(base: string): string;
}

export function runNames(): RunNames {
  const suffix = crypto.randomUUID().slice(0, 8);
  return { suffix, name: (base) => `${base}-${suffix}` };
}

export interface SidecarUnderTest {
  app: TestApp;
  sidecar: Sidecar;
  dapr: DaprApi;
  appId: string;
  dataDir: string;
}

export interface ConformanceRun {
  target: SidecarTarget;
  profile: TargetProfile;
  names: RunNames;
  /** Starts a test app with these subscriptions and a sidecar in front of it. */
  startSidecar(options: {
    appId: string;
    subscriptions?: SubscriptionSpec[];
    daprApiToken?: string;
    appApiToken?: string;
  }): Promise<SidecarUnderTest>;
  /** Stops every sidecar and app this run started and removes their data dirs. */
  cleanup(): Promise<void>;
}

export function createConformanceRun(target: SidecarTarget = selectTarget()): ConformanceRun {
  const names = runNames();
  const started: SidecarUnderTest[] = [];
  const pendingDirs: string[] = [];
  // One folder per run: each sidecar's data, and the embedded target's local name
  // registry (sidecars of one run find each other there; other targets ignore it).
  const runDir = mkdtempSync(join(tmpdir(), "dapr-conformance-"));
  pendingDirs.push(runDir);
  // afterAll normally removes the dirs; this covers a run that dies first.
  const removeDirsOnExit = () => {
    for (const dir of pendingDirs) rmSync(dir, { recursive: true, force: true });
  };
  process.on("exit", removeDirsOnExit);

  return {
    target,
    profile: target.profile,
    names,
    startSidecar: async (options) => {
      const dataDir = mkdtempSync(join(runDir, "sidecar-"));
      const app = createTestApp({
        subscriptions: options.subscriptions ?? [],
        pubsubName: target.profile.components.pubsub,
      });
      let sidecar: Sidecar;
      try {
        sidecar = await target.start({
          appId: options.appId,
          appPort: app.port,
          dataDir,
          daprApiToken: options.daprApiToken,
          appApiToken: options.appApiToken,
          env: { EMBEDDED_NAME_RESOLUTION_DIR: join(runDir, "names") },
        });
      } catch (error) {
        await app.stop();
        throw error;
      }
      const entry = { app, sidecar, dapr: daprApi(sidecar.baseUrl, options.daprApiToken), appId: options.appId, dataDir };
      started.push(entry);
      return entry;
    },
    cleanup: async () => {
      const errors: unknown[] = [];
      for (const { app, sidecar } of started.splice(0)) {
        // Let held deliveries finish so a graceful stop is not kept waiting.
        app.releaseDeliveries();
        await sidecar.stop().catch((error) => errors.push(error));
        await app.stop().catch((error) => errors.push(error));
      }
      for (const dir of pendingDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
      process.off("exit", removeDirsOnExit);
      if (errors.length > 0) throw errors[0];
    },
  };
}
