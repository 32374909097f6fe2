import { Type } from "@sinclair/typebox";
import { BaseConfig, loadConfig } from "@todo/common";
import { join } from "node:path";
import { DaprApiTokenMissingError, PortInUseError, startEmbeddedHost } from "./embedded-host.ts";
import { serviceSettings } from "./services.ts";

/** `bun start`: everything in one process on one port (see embedded-host.ts). */
const EmbeddedConfig = {
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  HOST: Type.String({ default: "127.0.0.1" }),
  DATA_DIR: Type.String({ minLength: 1, default: ".data" }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: "^postgres(ql)?://" })),
  // The full Dapr API on 127.0.0.1 for debugging: off unless asked for, and then only with DAPR_API_TOKEN.
  DAPR_HTTP_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 0 }),
  LOG_LEVEL: BaseConfig.LOG_LEVEL,
  DAPR_API_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  SITE_DIR: Type.String({ default: join(import.meta.dir, "../../../site/dist") }),
};

const config = loadConfig(Type.Object({ ...EmbeddedConfig, ...serviceSettings }));
let host: Awaited<ReturnType<typeof startEmbeddedHost>>;
try {
  host = await startEmbeddedHost({
    port: config.PORT,
    host: config.HOST,
    dataDir: config.DATA_DIR,
    databaseUrl: config.DATABASE_URL,
    daprHttpPort: config.DAPR_HTTP_PORT,
    logLevel: config.LOG_LEVEL,
    daprApiToken: config.DAPR_API_TOKEN,
    siteDir: config.SITE_DIR,
    settings: config,
  });
} catch (error) {
  if (!(error instanceof PortInUseError || error instanceof DaprApiTokenMissingError)) throw error;
  console.error(JSON.stringify({ level: "error", service: "embedded", msg: error.message, variable: error.variable }));
  process.exit(1);
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  host.logger.info("shutting down", { signal });
  await host.stop();
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));

host.logger.info("ready", { url: host.url, daprApi: host.daprApiUrl, dataDir: config.DATA_DIR });
console.log(`\n  Todo is running at ${host.url.replace("127.0.0.1", "localhost")}\n`);
