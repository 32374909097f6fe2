import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { ofKind, renderChart } from "./render.ts";

/**
 * The security headers (CSP, frame-ancestors, Referrer-Policy,
 * Permissions-Policy, HSTS under TLS) are set by every backend the Ingress
 * routes to (serveApp for the services, site-main for the site; see
 * tests/security/headers.test.ts). The Ingress must pass them on: no
 * annotation of it may hide or clear response headers, with or without TLS.
 */
setDefaultTimeout(60_000);
const STRIPPING = /more_clear_headers|proxy_hide_header|hide-headers|add_header\s+Content-Security-Policy/i;

describe("the Ingress and the security headers", () => {
  test.each<[string, Record<string, string>]>([
    ["plain HTTP", { "ingress.host": "todo.example.com" }],
    ["TLS", { "ingress.host": "todo.example.com", "ingress.tlsSecret": "todo-tls" }],
  ])("over %s no Ingress hides or rewrites the backends' headers", async (_, set) => {
    const ingresses = ofKind(await renderChart({ set }), "Ingress");
    expect(ingresses.length).toBeGreaterThanOrEqual(2);
    for (const ingress of ingresses) {
      for (const [name, value] of Object.entries(ingress.metadata.annotations ?? {})) {
        expect(`${name}: ${value}`).not.toMatch(STRIPPING);
      }
      if (set["ingress.tlsSecret"]) expect(ingress.spec.tls?.[0]?.secretName).toBe("todo-tls");
    }
  });
});
