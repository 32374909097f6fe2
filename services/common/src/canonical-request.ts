import { errorBody } from "./http-errors.ts";

/**
 * Every request a port accepts gets this origin in place of whatever the
 * client's Host made of its URL. Elysia finds the path by slicing the URL
 * from the first "/" after index 11, so a Host of 1-3 characters ("x")
 * made it skip the first path segment while routers using
 * `new URL(url).pathname` saw the full path: one request, two routes. With
 * one long origin every layer reads the same path.
 */
export const CANONICAL_ORIGIN = "http://request.local";

const HOST_NAME = /^(?:[A-Za-z0-9_-]{1,63}\.)*[A-Za-z0-9_-]{1,63}\.?$/;
const IPV6_LITERAL = /^\[[0-9A-Fa-f:.]+\]$/;
/** Percent-encoded "/" or "\" (a second way to write a path separator) and control characters. */
const AMBIGUOUS_ESCAPE = /%(?:2f|5c|[01][0-9a-f]|7f)/i;

export type CanonicalResult = { ok: true; request: Request } | { ok: false; response: Response };

/**
 * The one gate of every listening port: a Host header that is a host name,
 * an IPv4 or a bracketed IPv6 address with an optional port 1-65535; a
 * path without empty segments, encoded separators or control characters
 * (Bun has already resolved `.` and `..`). Anything else is a 400 here,
 * not a 500 later. The accepted request is rebuilt on CANONICAL_ORIGIN so
 * the router and the framework underneath agree on its path.
 */
export function canonicalRequest(request: Request): CanonicalResult {
  const host = request.headers.get("host");
  if (host === null || host === "") return refuse("missing_host", "the request has no Host header");
  if (!isValidHost(host)) return refuse("invalid_host", "the Host header is not a host name with an optional port");
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return refuse("invalid_url", "the request target is not a valid URL");
  }
  if (url.pathname.includes("//")) return refuse("invalid_path", "the path has an empty segment (//)");
  if (AMBIGUOUS_ESCAPE.test(url.pathname)) {
    return refuse("invalid_path", "the path has an encoded slash, backslash or control character");
  }
  return { ok: true, request: new Request(CANONICAL_ORIGIN + url.pathname + url.search, request) };
}

export function isValidHost(host: string): boolean {
  const portAt = host.startsWith("[") ? host.indexOf("]:") + 1 : host.lastIndexOf(":");
  const name = portAt > 0 ? host.slice(0, portAt) : host;
  const port = portAt > 0 ? host.slice(portAt + 1) : undefined;
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) return false;
  if (name.length > 253) return false;
  if (IPV6_LITERAL.test(name)) return parsesAsHost(name);
  return HOST_NAME.test(name);
}

function parsesAsHost(name: string): boolean {
  try {
    return new URL(`http://${name}/`).hostname !== "";
  } catch {
    return false;
  }
}

function refuse(code: string, message: string): CanonicalResult {
  return { ok: false, response: Response.json(errorBody(code, message), { status: 400 }) };
}
