import { existsSync, statSync } from "node:fs";
import { join, normalize, resolve } from "node:path";

/**
 * Serves the built site (site/dist, built by the site package) with an
 * index.html fallback per folder. Until the site is built it serves a small
 * status page so `bun start` still shows where everything is.
 */
export function createSiteHandler(distDir: string) {
  const root = resolve(distDir);
  return async (request: Request): Promise<Response> => {
    if (request.method !== "GET" && request.method !== "HEAD") return new Response("method not allowed", { status: 405 });
    if (!existsSync(root)) return statusPage();
    const { pathname } = new URL(request.url);
    const file = resolveFile(root, decodeURIComponent(pathname));
    if (!file) return new Response("not found", { status: 404 });
    return new Response(Bun.file(file));
  };
}

function resolveFile(root: string, pathname: string): string | undefined {
  const candidate = normalize(join(root, pathname));
  // Never serve outside the site folder (../ in the URL).
  if (candidate !== root && !candidate.startsWith(root + "/")) return undefined;
  for (const path of [candidate, join(candidate, "index.html"), candidate + ".html"]) {
    if (existsSync(path) && statSync(path).isFile()) return path;
  }
  return undefined;
}

function statusPage(): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Todo: embedded runtime</title></head>
<body style="font-family:system-ui;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>Todo is running</h1>
<p>The web site has not been built yet. The services are up:</p>
<ul>
<li><a href="/healthz">/healthz</a> and <a href="/readyz">/readyz</a></li>
<li><a href="/v1.0/metadata">/v1.0/metadata</a>: the embedded Dapr runtime, its apps and subscriptions</li>
<li><a href="/metrics">/metrics</a>: Prometheus metrics</li>
</ul></body></html>`;
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
}
