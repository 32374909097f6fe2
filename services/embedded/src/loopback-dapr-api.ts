import { timingSafeEqual } from "node:crypto";
import { daprError } from "./runtime/errors.ts";

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];

export interface LoopbackDaprApiOptions {
  /** The Dapr HTTP API it guards. */
  api: (request: Request) => Promise<Response>;
  /**
   * Every call but the health probes must carry it as `dapr-api-token`, as daprd does with DAPR_API_TOKEN.
   * `bun start` never opens the port without one; the daprd-like sidecar-main, like daprd, leaves it optional.
   */
  apiToken: string | undefined;
  /** The port it listens on: a Host naming another port was meant for something else. */
  port: () => number;
  /** Names besides the loopback ones the port is bound to (a sidecar's DAPR_HOST). */
  extraHostNames?: string[];
}

/**
 * The Dapr HTTP API on a loopback port, for debugging and tooling. It hands
 * out secrets and accepts forged events, so: only a Host of localhost,
 * 127.0.0.1 or [::1] with this port (a web page reaching it by DNS
 * rebinding sends its own name and gets 421), and the API token on every
 * call but the health probes.
 */
export function loopbackDaprApi(options: LoopbackDaprApiOptions): (request: Request) => Promise<Response> {
  const names = [...LOOPBACK_NAMES, ...(options.extraHostNames ?? [])];
  return async (request) => {
    const host = request.headers.get("host") ?? "";
    if (!names.some((name) => host === `${name}:${options.port()}`)) {
      return daprError(421, "ERR_HOST_NOT_ALLOWED", `this port answers only Host localhost:${options.port()} (or 127.0.0.1, [::1])`);
    }
    let pathname: string;
    try {
      pathname = new URL(request.url).pathname;
    } catch {
      return daprError(400, "ERR_MALFORMED_REQUEST", "the request target is not a valid URL");
    }
    const isHealthProbe = request.method === "GET" && (pathname === "/v1.0/healthz" || pathname === "/v1.0/healthz/outbound");
    if (options.apiToken !== undefined && !isHealthProbe && !tokenMatches(request.headers.get("dapr-api-token"), options.apiToken)) {
      return daprError(401, "ERR_UNAUTHORIZED", "missing or wrong dapr-api-token");
    }
    return options.api(request);
  };
}

function tokenMatches(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
