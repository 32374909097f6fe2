import { Type } from "@sinclair/typebox";
import { addSecurityHeaders, canonicalRequest, createLogger, loadConfig, serverErrorOptions } from "@todo/common";
import { createSiteServer } from "./site-server.ts";

/**
 * The site's own tiny server for Kubernetes: static files from SITE_DIR on
 * PORT, with /healthz and /readyz (see site-server.ts). `bun start` serves the
 * same files through the embedded host instead.
 */
const SiteConfig = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  HOST: Type.String({ minLength: 1, default: "0.0.0.0" }),
  SITE_DIR: Type.String({ minLength: 1, default: "site/dist" }),
  LOG_LEVEL: Type.Union([Type.Literal("debug"), Type.Literal("info"), Type.Literal("warn"), Type.Literal("error")], {
    default: "info",
  }),
});

const config = loadConfig(SiteConfig);
const logger = createLogger({ service: "site", level: config.LOG_LEVEL });
const site = createSiteServer(config.SITE_DIR);
const server = Bun.serve({
  port: config.PORT,
  hostname: config.HOST,
  ...serverErrorOptions(logger),
  fetch: async (request) => {
    const accepted = canonicalRequest(request);
    return addSecurityHeaders(request, accepted.ok ? await site(accepted.request) : accepted.response);
  },
});

const shutdown = async (signal: string) => {
  logger.info("shutting down", { signal });
  await server.stop();
  process.exit(0);
};
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
logger.info("ready", { url: `http://${config.HOST}:${server.port}`, siteDir: config.SITE_DIR });
