import { existsSync } from "node:fs";
import { join } from "node:path";
import { createSiteHandler } from "./site.ts";

/**
 * The site container's whole server: the built site plus the probes. Ready
 * once the build is there (index.html), so a pod with an empty SITE_DIR never
 * gets traffic. /api, /mcp and /ws are the Ingress's to route elsewhere.
 */
export function createSiteServer(siteDir: string): (request: Request) => Promise<Response> {
  const site = createSiteHandler(siteDir);
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === "/healthz") return Response.json({ status: "ok" });
    if (pathname === "/readyz") {
      const ready = existsSync(join(siteDir, "index.html"));
      return Response.json({ status: ready ? "ready" : "not-ready", checks: { site: ready } }, { status: ready ? 200 : 503 });
    }
    return site(request);
  };
}
