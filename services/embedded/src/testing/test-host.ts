import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LogLevel } from "@todo/common";
import { startEmbeddedHost, type EmbeddedHost } from "../embedded-host.ts";

export interface TestHost {
  url: string;
  dataDir: string;
  host: EmbeddedHost;
  stop(): Promise<void>;
}

/**
 * The whole system as `bun start` runs it, in this process: every app, the
 * runtime and the public port (a free one), on a fresh data dir. Delivery
 * retries are quick so a failed delivery is retried within the test's wait.
 */
export async function startTestHost(options: { logLevel?: LogLevel } = {}): Promise<TestHost> {
  const dataDir = mkdtempSync(join(tmpdir(), "todo-system-"));
  let host: EmbeddedHost;
  try {
    host = await startEmbeddedHost({
      port: 0,
      host: "127.0.0.1",
      dataDir,
      daprHttpPort: 0,
      logLevel: options.logLevel ?? (process.env.E2E_LOG_LEVEL === "debug" ? "debug" : "error"),
      siteDir: join(dataDir, "no-site"),
      delivery: { initialRetryMs: 20, maxRetryIntervalMs: 200, maxRetries: 5 },
    });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: host.url,
    dataDir,
    host,
    async stop() {
      try {
        await host.stop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
