import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";

/**
 * The Content-Security-Policy of one built page: `default-src 'self'` and no
 * framing, plus the SHA-256 of each inline <script> and <style> Astro put
 * in it (its island loader and island CSS), so those run and nothing else
 * inline does. Computed from the file, so a rebuild cannot get out of step;
 * cached per file until it changes.
 */
const cache = new Map<string, { mtimeMs: number; policy: string }>();

export function pageCsp(path: string): string {
  const mtimeMs = statSync(path).mtimeMs;
  const cached = cache.get(path);
  if (cached?.mtimeMs === mtimeMs) return cached.policy;
  const html = readFileSync(path, "utf8");
  const policy = [
    "default-src 'self'",
    `script-src 'self'${hashesOf(html, /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)}`,
    `style-src 'self'${hashesOf(html, /<style[^>]*>([\s\S]*?)<\/style>/g)}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  cache.set(path, { mtimeMs, policy });
  return policy;
}

function hashesOf(html: string, pattern: RegExp): string {
  const hashes = new Set<string>();
  for (const match of html.matchAll(pattern)) {
    const body = match[1] ?? "";
    if (body.trim() === "") continue;
    hashes.add(`'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`);
  }
  return [...hashes].map((hash) => ` ${hash}`).join("");
}
