import { Type } from "@sinclair/typebox";
import { defineService } from "@todo/common";
import { createApp } from "./app.ts";

/** The only writer of tasks: accounts, the task API, chat, MCP, and the outbox. */
export const chatApiService = defineService({
  appId: "chat-api",
  settings: {
    // Optional hosted model for the chat assistant (OpenAI-compatible); its key is the Dapr secret `llm-api-key`.
    LLM_BASE_URL: Type.Optional(Type.String({ pattern: "^https?://" })),
    LLM_MODEL: Type.String({ minLength: 1, default: "gpt-4o-mini" }),
    LLM_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 20_000 }),
    // Task writes per user per minute before chat-api answers 429 (benchmarks raise it).
    WRITES_PER_MINUTE: Type.Integer({ minimum: 1, default: 120 }),
    // Proxies in front that append to X-Forwarded-For (1 behind the Ingress), so sign-in throttling counts the client.
    TRUSTED_PROXY_HOPS: Type.Integer({ minimum: 0, maximum: 5, default: 0 }),
  },
  publicPaths: ["/api", "/mcp"],
  async createApp(deps, { settings, database }) {
    const llm = settings.LLM_BASE_URL
      ? { baseUrl: settings.LLM_BASE_URL, model: settings.LLM_MODEL, timeoutMs: settings.LLM_TIMEOUT_MS }
      : undefined;
    return createApp({
      ...deps,
      db: await database(),
      assistant: { llm },
      writesPerMinute: settings.WRITES_PER_MINUTE,
      trustedProxyHops: settings.TRUSTED_PROXY_HOPS,
    });
  },
});
