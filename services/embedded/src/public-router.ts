import type { AppHandler } from "./runtime/app-channel.ts";

export interface PublicRoute {
  prefix: string;
  handle: AppHandler;
}

/**
 * Routes the public port: the longest matching path prefix wins, so
 * `/api/audit` reaches audit while the rest of `/api` reaches chat-api.
 */
export function createPublicRouter(routes: PublicRoute[], fallback: AppHandler): AppHandler {
  const ordered = [...routes].sort((a, b) => b.prefix.length - a.prefix.length);
  return (request) => {
    const { pathname } = new URL(request.url);
    const route = ordered.find(({ prefix }) => pathname === prefix || pathname.startsWith(prefix + "/"));
    return (route?.handle ?? fallback)(request);
  };
}
