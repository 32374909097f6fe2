import { createApp as createAudit } from "@todo/audit";
import { createApp as createChatApi } from "@todo/chat-api";
import type { ServiceDeps } from "@todo/common";
import { createApp as createNotification } from "@todo/notification";
import { createApp as createRecurringTask } from "@todo/recurring-task";
import { createApp as createWebsocket } from "@todo/websocket";
import type { Elysia } from "elysia";

type AnyElysia = Elysia<any, any, any, any, any, any, any>;

export interface HostedApp {
  appId: string;
  create: (deps: ServiceDeps) => AnyElysia | Promise<AnyElysia>;
  /** Path prefixes this app answers on the public port (longest prefix wins). */
  publicPaths: string[];
}

/** Every service of the system, hosted in one process by `bun start`. */
export const hostedApps: HostedApp[] = [
  { appId: "chat-api", create: createChatApi, publicPaths: ["/api", "/mcp"] },
  { appId: "audit", create: createAudit, publicPaths: ["/api/audit"] },
  { appId: "notification", create: createNotification, publicPaths: [] },
  { appId: "recurring-task", create: createRecurringTask, publicPaths: [] },
  { appId: "websocket", create: createWebsocket, publicPaths: ["/ws"] },
];
