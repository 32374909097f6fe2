import { createServiceApp, type ServiceDeps } from "@todo/common";
import { authRoutes } from "./auth/auth-routes.ts";
import { calendarRoutes } from "./calendar/calendar-routes.ts";
import { createTokenService } from "@todo/common";
import type { Database } from "@todo/common/db";
import { bodyLimit } from "./http/body-limit.ts";
import { apiDocs } from "./http/openapi.ts";
import { createWriteRateLimiter } from "./http/rate-limit.ts";
import { internalRoutes } from "./internal/internal-routes.ts";
import { mcpRoutes } from "./mcp/mcp-routes.ts";
import { registerOutboxBacklogGauge } from "./outbox/outbox-metrics.ts";
import { createOutboxRelay } from "./outbox/outbox-relay.ts";
import { createTaskService } from "./tasks/task-service.ts";
import { taskRoutes } from "./tasks/task-routes.ts";
import { createTaskTools } from "./tools/task-tools.ts";
import { chatRoutes } from "./assistant/chat-routes.ts";
import { chooseAgent } from "./assistant/llm-agent.ts";
import { quickAddRoutes } from "./assistant/quick-add-routes.ts";

export interface ChatApiDeps extends ServiceDeps {
  /** Migrated database (PGlite or PostgreSQL). */
  db: Database;
  /** Signing key for user tokens; read from the Dapr secret store (`jwt-secret`) when omitted. */
  jwtSecret?: string;
  /** Writes per user per minute before 429 (default 120). */
  writesPerMinute?: number;
  /** Outbox relay tuning (tests make it quick). */
  outbox?: { pollIntervalMs?: number; initialBackoffMs?: number; maxBackoffMs?: number };
  /** The chat assistant; with `llm` (LLM_BASE_URL) a hosted model chooses the tools, the deterministic engine otherwise. */
  assistant?: { llm?: { baseUrl: string; model: string; apiKeySecret?: string; apiKey?: string; timeoutMs?: number } };
}

/**
 * The only writer of tasks: accounts, the task REST API, and the outbox that
 * turns every committed change into a CloudEvent.
 */
export async function createApp(deps: ChatApiDeps) {
  const now = deps.now ?? (() => new Date());
  const jwtSecret = deps.jwtSecret ?? (await readJwtSecret(deps));
  const tokens = createTokenService(jwtSecret, { now });
  const relay = createOutboxRelay({
    db: deps.db,
    dapr: deps.dapr,
    pubsub: deps.components.pubsub,
    logger: deps.logger.child({ component: "outbox" }),
    ...deps.outbox,
  });
  deps.background?.add("outbox-relay", relay);
  registerOutboxBacklogGauge(deps.registry, deps.db);
  const tasks = createTaskService({ db: deps.db, outbox: relay, now, logger: deps.logger });
  const rateLimiter = createWriteRateLimiter({ perMinute: deps.writesPerMinute ?? 120, now: () => now().getTime() });
  const tools = createTaskTools(tasks);
  const agent = await chooseAgent(
    deps.assistant?.llm,
    async (name) => (await deps.dapr.getSecret(deps.components.secretStore, name))[name],
    deps.logger.child({ component: "assistant" }),
  );

  return createServiceApp("chat-api", deps, [{ name: "database", check: () => deps.db.query("SELECT 1").then(() => true) }])
    .use(bodyLimit(64 * 1024))
    .use(apiDocs())
    .use(authRoutes({ db: deps.db, tokens, now }))
    .use(quickAddRoutes({ db: deps.db, tokens, now }))
    .use(taskRoutes({ tasks, tokens, rateLimiter }))
    .use(calendarRoutes({ db: deps.db, tasks, tokens, now }))
    .use(mcpRoutes({ tools, tokens, logger: deps.logger.child({ component: "mcp" }) }))
    .use(chatRoutes({ db: deps.db, tools, tasks, tokens, agent, rateLimiter, now, logger: deps.logger }))
    .use(internalRoutes({ tasks, appApiToken: deps.appApiToken }));
}

async function readJwtSecret(deps: ChatApiDeps): Promise<string> {
  const secret = await deps.dapr.getSecret(deps.components.secretStore, "jwt-secret");
  const value = secret["jwt-secret"];
  if (!value || value.length < 32) throw new Error("secret jwt-secret is missing or shorter than 32 characters");
  return value;
}
