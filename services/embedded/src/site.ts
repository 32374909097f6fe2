import { existsSync, statSync } from "node:fs";
import { join, normalize, resolve } from "node:path";
import { pageCsp } from "./page-csp.ts";

/**
 * Serves the built site (site/dist, built by the site package) with an
 * index.html fallback per folder. Hashed assets under /_astro never change
 * under their name, so browsers keep them for a year; pages are revalidated
 * every time so a new build shows at once. Unknown paths get the site's
 * 404.html with status 404. Until the site is built it serves a small status
 * page so `bun start` still shows where everything is.
 */
export function createSiteHandler(distDir: string) {
  const root = resolve(distDir);
  return async (request: Request): Promise<Response> => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("method not allowed", { status: 405, headers: { allow: "GET, HEAD" } });
    }
    if (!existsSync(root)) return statusPage();
    const { pathname } = new URL(request.url);
    let path: string;
    try {
      path = decodeURIComponent(pathname);
    } catch {
      return new Response("bad request", { status: 400 });
    }
    const file = resolveFile(root, path);
    if (file) return fileResponse(file, pathname.startsWith("/_astro/") ? IMMUTABLE : REVALIDATE, 200);
    const notFoundPage = join(root, "404.html");
    if (existsSync(notFoundPage)) return fileResponse(notFoundPage, REVALIDATE, 404);
    return new Response("not found", { status: 404 });
  };
}

const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "no-cache";

function fileResponse(path: string, cacheControl: string, status: number): Response {
  const file = Bun.file(path);
  // Bun.file guesses most types; text types get an explicit charset.
  const type = file.type.startsWith("text/") || file.type.includes("javascript") ? withCharset(file.type) : file.type;
  const headers: Record<string, string> = { "content-type": type, "cache-control": cacheControl, "x-content-type-options": "nosniff" };
  if (type.startsWith("text/html")) headers["content-security-policy"] = pageCsp(path);
  return new Response(file, { status, headers });
}

function withCharset(type: string): string {
  return type.includes("charset=") ? type : `${type};charset=utf-8`;
}

function resolveFile(root: string, pathname: string): string | undefined {
  if (pathname.includes("\0")) return undefined;
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
<body>
<h1>Todo is running</h1>
<p>The web site has not been built yet (<code>bun run build:site</code>). The services are up:</p>
<ul>
<li><a href="/healthz">/healthz</a> and <a href="/readyz">/readyz</a></li>
<li><a href="/v1.0/metadata">/v1.0/metadata</a>: the embedded Dapr runtime, its apps and subscriptions</li>
<li><a href="/metrics">/metrics</a>: Prometheus metrics</li>
<li><a href="/api/docs">/api/docs</a>: the API</li>
</ul></body></html>`;
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" } });
}
