import { createApp as createAudit } from "@todo/audit";
import { createApp as createChatApi } from "@todo/chat-api";
import type { Database } from "@todo/common/db";
import type { ServiceDeps } from "@todo/common";
import { createApp as createNotification } from "@todo/notification";
import { createApp as createRecurringTask } from "@todo/recurring-task";
import { createApp as createWebsocket } from "@todo/websocket";
import type { Elysia } from "elysia";

type AnyElysia = Elysia<any, any, any, any, any, any, any>;

/** What `bun start` knows that a service's own main.ts would read from its env. */
export interface HostContext {
  dataDir: string;
  /** The migrated system database, shared by the apps that own tables (opened on first use). */
  database(): Promise<Database>;
  /** A hosted model for the chat assistant (LLM_BASE_URL); its key is the secret `llm-api-key`. */
  llm?: { baseUrl: string; model: string; timeoutMs?: number };
  /** chat-api's per-user write limit (WRITES_PER_MINUTE). */
  writesPerMinute?: number;
}

export interface HostedApp {
  appId: string;
  create: (deps: ServiceDeps, host: HostContext) => AnyElysia | Promise<AnyElysia>;
  /** Path prefixes this app answers on the public port (longest prefix wins). */
  publicPaths: string[];
}

/** Every service of the system, hosted in one process by `bun start`. */
export const hostedApps: HostedApp[] = [
  { appId: "chat-api", create: createChatApiWithDatabase, publicPaths: ["/api", "/mcp"] },
  { appId: "audit", create: async (deps, host) => createAudit({ ...deps, db: await host.database() }), publicPaths: ["/api/audit"] },
  { appId: "notification", create: createNotification, publicPaths: [] },
  { appId: "recurring-task", create: createRecurringTask, publicPaths: [] },
  { appId: "websocket", create: createWebsocket, publicPaths: ["/ws"] },
];

/** chat-api owns the task tables: PGlite under DATA_DIR, or PostgreSQL when DATABASE_URL is set. */
async function createChatApiWithDatabase(deps: ServiceDeps, host: HostContext) {
  return createChatApi({
    ...deps,
    db: await host.database(),
    assistant: host.llm ? { llm: host.llm } : undefined,
    writesPerMinute: host.writesPerMinute,
  });
}
