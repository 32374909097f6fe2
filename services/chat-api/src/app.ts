import { createServiceApp, type ServiceDeps } from "@todo/common";
import { authRoutes } from "./auth/auth-routes.ts";
import { createTokenService, readJwtKeys, requireExistingAccount, type JwtKeys } from "@todo/common";
import { createSignInThrottle } from "./auth/sign-in-throttle.ts";
import { userExists } from "./auth/user-store.ts";
import { calendarRoutes } from "./calendar/calendar-routes.ts";
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
  /** Signing key(s) for user tokens; read from the Dapr secret store (`jwt-secret`, `jwt-secret-previous`) when omitted. */
  jwtSecret?: string | JwtKeys;
  /** Proxies in front of chat-api that append the client's address to X-Forwarded-For (the Ingress: 1; default 0). */
  trustedProxyHops?: number;
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
  const jwtSecret = deps.jwtSecret ?? (await readJwtKeys(deps.dapr, deps.components.secretStore));
  // Every route that takes a token (REST, MCP, chat) accepts it only for an account that exists.
  const tokens = requireExistingAccount(createTokenService(jwtSecret, { now }), (userId) => userExists(deps.db, userId));
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
  const signInThrottle = createSignInThrottle({ dapr: deps.dapr, stateStore: deps.components.stateStore, now });
  const rateLimiter = createWriteRateLimiter({ perMinute: deps.writesPerMinute ?? 120, now: () => now().getTime() });
  const tools = createTaskTools(tasks, rateLimiter);
  const agent = await chooseAgent(
    deps.assistant?.llm,
    async (name) => (await deps.dapr.getSecret(deps.components.secretStore, name))[name],
    deps.logger.child({ component: "assistant" }),
  );

  return createServiceApp("chat-api", deps, [{ name: "database", check: () => deps.db.query("SELECT 1").then(() => true) }])
    .use(bodyLimit(64 * 1024))
    .use(apiDocs())
    .use(authRoutes({ db: deps.db, tokens, now, throttle: signInThrottle, trustedProxyHops: deps.trustedProxyHops }))
    .use(quickAddRoutes({ db: deps.db, tokens, now }))
    .use(taskRoutes({ tasks, tokens, rateLimiter }))
    .use(calendarRoutes({ db: deps.db, tasks, tokens, now }))
    .use(mcpRoutes({ tools, tokens, logger: deps.logger.child({ component: "mcp" }) }))
    .use(chatRoutes({ db: deps.db, tools, tasks, tokens, agent, rateLimiter, now, logger: deps.logger }))
    .use(internalRoutes({ tasks, appApiToken: deps.appApiToken }));
}
