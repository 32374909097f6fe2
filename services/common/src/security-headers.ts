/**
 * Headers every public response carries. Pages may send their own
 * Content-Security-Policy (the site adds the hashes of Astro's inline
 * scripts); anything else gets the strictest policy that fits it.
 */
const COMMON: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  // The app uses none of these; a script injected some day gets none of them either.
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
};

/** Same-origin everything, no framing, no plugins, no <base> or form target elsewhere. */
export const PAGE_CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
/** JSON and other non-HTML answers render nothing: nothing may load or frame them. */
export const DATA_CSP = "default-src 'none'; frame-ancestors 'none'";
const HSTS = "max-age=31536000; includeSubDomains";

/**
 * Adds the headers to `response` in place (it must not be a fetch()
 * response, whose headers are immutable). HSTS only over TLS: a browser
 * ignores it on plain HTTP, and behind the Ingress TLS ends there, which
 * says so with X-Forwarded-Proto.
 */
export function addSecurityHeaders(request: Request, given: Response): Response {
  const response = hasMutableHeaders(given) ? given : new Response(given.body, given);
  const headers = response.headers;
  for (const [name, value] of Object.entries(COMMON)) if (!headers.has(name)) headers.set(name, value);
  if (!headers.has("content-security-policy")) {
    headers.set("content-security-policy", (headers.get("content-type") ?? "").includes("text/html") ? PAGE_CSP : DATA_CSP);
  }
  if (servedOverTls(request) && !headers.has("strict-transport-security")) headers.set("strict-transport-security", HSTS);
  return response;
}

function servedOverTls(request: Request): boolean {
  if (request.url.startsWith("https:")) return true;
  return request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}

function hasMutableHeaders(response: Response): boolean {
  try {
    response.headers.set("x-content-type-options", "nosniff");
    return true;
  } catch {
    return false;
  }
}
