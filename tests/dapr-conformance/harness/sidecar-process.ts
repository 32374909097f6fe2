/**
 * A Sidecar backed by a child process: started until its health check
 * passes, stopped with SIGTERM, killed with SIGKILL, restarted with the same
 * command line on the same port. Both targets use it; they differ only in
 * what they spawn.
 */
import { waitFor } from "@todo/testkit";
import type { ChildProcess } from "./child-process.ts";
import type { Sidecar } from "./sidecar-target.ts";

const STOP_GRACE_MS = 10_000;

export interface SidecarProcessOptions {
  appId: string;
  baseUrl: string;
  /** "daprd", "embedded sidecar": for messages. */
  kind: string;
  spawn(): ChildProcess;
  /** GET /v1.0/healthz answers 204. */
  healthy(): Promise<boolean>;
  startTimeoutMs: number;
}

export async function startSidecarProcess(options: SidecarProcessOptions): Promise<Sidecar> {
  let child = await launch(options);
  return {
    appId: options.appId,
    baseUrl: options.baseUrl,
    output: () => child.output(),
    stop: async () => {
      const inTime = await child.terminate(STOP_GRACE_MS);
      if (!inTime) throw new Error(`${options.kind} ${options.appId} ignored SIGTERM for ${STOP_GRACE_MS} ms\n${child.output()}`);
    },
    kill: () => child.kill(),
    restart: async () => {
      await child.kill();
      child = await launch(options);
    },
  };
}

async function launch(options: SidecarProcessOptions): Promise<ChildProcess> {
  const child = options.spawn();
  try {
    await waitFor(
      async () => {
        if (child.hasExited()) throw new Error(`${options.kind} exited with code ${await child.exited}`);
        return await options.healthy();
      },
      {
        timeoutMs: options.startTimeoutMs,
        intervalMs: 25,
        message: `${options.kind} ${options.appId} at ${options.baseUrl} to answer GET /v1.0/healthz with 204`,
      },
    );
  } catch (error) {
    await child.kill();
    throw new Error(`${(error as Error).message}\n--- ${options.kind} output ---\n${child.output()}`);
  }
  return child;
}
