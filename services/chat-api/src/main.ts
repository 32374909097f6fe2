import { Type } from "@sinclair/typebox";
import { loadConfig, runService } from "@todo/common";
import { join } from "node:path";
import { createApp } from "./app.ts";
import { openMigratedDatabase } from "@todo/common/db";

const config = loadConfig(
  Type.Object({
    DATABASE_URL: Type.Optional(Type.String({ pattern: "^postgres(ql)?://" })),
    DATA_DIR: Type.String({ minLength: 1, default: ".data" }),
    // Optional hosted model for the chat assistant (OpenAI-compatible); its key is the Dapr secret `llm-api-key`.
    LLM_BASE_URL: Type.Optional(Type.String({ pattern: "^https?://" })),
    LLM_MODEL: Type.String({ minLength: 1, default: "gpt-4o-mini" }),
    LLM_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 20_000 }),
    WRITES_PER_MINUTE: Type.Integer({ minimum: 1, default: 120 }),
    // Behind the Ingress: 1, so sign-in throttling counts the client, not the proxy.
    TRUSTED_PROXY_HOPS: Type.Integer({ minimum: 0, maximum: 5, default: 0 }),
  }),
);

await runService("chat-api", async (deps) => {
  const db = await openMigratedDatabase(
    { databaseUrl: config.DATABASE_URL, dataDir: join(config.DATA_DIR, "chat-api") },
    deps.logger,
  );
  deps.background?.add("database", { start: () => {}, stop: () => db.close() });
  const llm = config.LLM_BASE_URL
    ? { baseUrl: config.LLM_BASE_URL, model: config.LLM_MODEL, timeoutMs: config.LLM_TIMEOUT_MS }
    : undefined;
  return createApp({ ...deps, db, assistant: { llm }, writesPerMinute: config.WRITES_PER_MINUTE, trustedProxyHops: config.TRUSTED_PROXY_HOPS });
});
