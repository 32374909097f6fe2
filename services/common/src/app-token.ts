import { sameSecret } from "./same-secret.ts";

/**
 * daprd sends APP_API_TOKEN as `dapr-api-token` on every call it makes to the
 * app (deliveries, job triggers, invocations), never on health probes. Routes
 * that only daprd should reach check it; with no token configured they are
 * reachable only through the sidecar's network boundary.
 */
export function hasAppToken(headers: Headers, expected: string | undefined): boolean {
  if (!expected) return true;
  const given = headers.get("dapr-api-token");
  return given !== null && sameSecret(given, expected);
}
