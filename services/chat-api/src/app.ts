import { createServiceApp, type ServiceDeps } from "@todo/common";

/** The only writer of tasks: REST API, auth, chat assistant and MCP server (issues #3, #4). */
export function createApp(deps: ServiceDeps) {
  return createServiceApp("chat-api", deps);
}
