import { sameSecret } from "@todo/common";
import { daprError } from "./errors.ts";
import { internalTokenHeader } from "./name-resolution.ts";

/**
 * The Dapr HTTP API of one sidecar (one app id): authentication, then
 * dispatch by path to the area that serves it. Each area lives in its own
 * module; this file only knows the URL layout.
 */
export interface SidecarAreas {
  publish(request: Request, pubsub: string, topic: string): Promise<Response>;
  bulkPublish(request: Request, pubsub: string, topic: string): Promise<Response>;
  /** `path` after /v1.0/state/, split and decoded. */
  state(request: Request, path: string[]): Promise<Response>;
  /** `path` after /v1.0/secrets/, split and decoded. */
  secrets(request: Request, path: string[]): Promise<Response>;
  jobs(request: Request, name: string): Promise<Response>;
  /**
   * `method` is the callee path (no leading "/") with the original query string;
   * `forwardedBy` names the calling app when another sidecar forwarded the call.
   */
  invoke(request: Request, appId: string, method: string, forwardedBy?: string): Promise<Response>;
  metadata(request: Request, key: string | undefined): Promise<Response>;
  /** /v1.0/healthz: components and app channel ready. */
  healthy(): boolean;
  /** /v1.0/healthz/outbound: components ready, not waiting for the app. */
  outboundHealthy(): boolean;
}

export interface SidecarApiOptions {
  /** DAPR_API_TOKEN: when set, every call but the health probes must carry it. */
  apiToken?: string;
  /** Authenticates invocations forwarded by another local sidecar (see name-resolution.ts). */
  internalToken?: string;
  areas: SidecarAreas;
  onError?: (error: unknown, request: Request) => void;
}

export function createSidecarApi(options: SidecarApiOptions): (request: Request) => Promise<Response> {
  const { areas } = options;
  return async (request) => {
    const url = new URL(request.url);
    const raw = url.pathname.split("/").filter((segment, i, all) => i > 0 && (segment !== "" || i < all.length - 1));
    const isHealthProbe = request.method === "GET" && (url.pathname === "/v1.0/healthz" || url.pathname === "/v1.0/healthz/outbound");
    // Only invocations are forwarded between sidecars.
    const fromSidecar =
      url.pathname.startsWith("/v1.0/invoke/") &&
      options.internalToken !== undefined &&
      tokenMatches(request.headers.get(internalTokenHeader), options.internalToken);
    if (options.apiToken && !isHealthProbe && !fromSidecar && !tokenMatches(request.headers.get("dapr-api-token"), options.apiToken)) {
      return new Response("invalid api token", { status: 401, headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    const segments = decodeSegments(raw);
    if (!segments) return daprError(400, "ERR_MALFORMED_REQUEST", "the request path is not valid percent-encoding");
    try {
      return await dispatch(request, url, segments, fromSidecar);
    } catch (error) {
      options.onError?.(error, request);
      return daprError(500, "ERR_INTERNAL", error instanceof Error ? error.message : String(error));
    }
  };

  async function dispatch(request: Request, url: URL, segments: string[], fromSidecar: boolean): Promise<Response> {
    const [version, area, ...rest] = segments;
    const calleeAppId = request.headers.get("dapr-app-id");
    if (calleeAppId && !url.pathname.startsWith("/v1.0")) {
      return areas.invoke(request, calleeAppId, url.pathname.slice(1) + url.search);
    }
    const stable = version === "v1.0";
    const alpha = version === "v1.0-alpha1";
    if (area === "publish" && (stable || alpha) && rest[0] === "bulk" && rest.length >= 2) {
      if (request.method !== "POST") return methodNotAllowed(request);
      return areas.bulkPublish(request, rest[1] as string, rest.slice(2).join("/"));
    }
    if (stable && area === "publish" && rest.length >= 1) {
      if (request.method !== "POST" && request.method !== "PUT") return methodNotAllowed(request);
      return areas.publish(request, rest[0] as string, rest.slice(1).join("/"));
    }
    if (stable && area === "state") return areas.state(request, rest);
    if (stable && area === "secrets") return areas.secrets(request, rest);
    if ((stable || alpha) && area === "jobs" && rest.length === 1) return areas.jobs(request, rest[0] as string);
    if (stable && area === "invoke" && rest.length >= 2 && rest[1] === "method") {
      // The callee path stays percent-encoded, as the caller wrote it.
      const prefix = `/v1.0/invoke/${url.pathname.split("/")[3]}/method/`;
      const forwardedBy = fromSidecar ? (request.headers.get("dapr-caller-app-id") ?? undefined) : undefined;
      return areas.invoke(request, rest[0] as string, url.pathname.slice(prefix.length) + url.search, forwardedBy);
    }
    if (stable && area === "metadata" && rest.length <= 1) return areas.metadata(request, rest[0]);
    if (stable && area === "healthz" && request.method === "GET") {
      if (rest.length === 0) return health(areas.healthy());
      if (rest.length === 1 && rest[0] === "outbound") return health(areas.outboundHealthy());
    }
    return daprError(404, "ERR_NOT_FOUND", `no Dapr API at ${request.method} ${url.pathname}`);
  }
}

function health(ok: boolean): Response {
  return ok ? new Response(null, { status: 204 }) : daprError(500, "ERR_HEALTH_NOT_READY", "dapr is not ready");
}

function methodNotAllowed(request: Request): Response {
  return daprError(405, "ERR_METHOD_NOT_ALLOWED", `method ${request.method} is not allowed here`);
}

function decodeSegments(raw: string[]): string[] | undefined {
  try {
    return raw.map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

function tokenMatches(given: string | null, expected: string): boolean {
  return given !== null && sameSecret(given, expected);
}
