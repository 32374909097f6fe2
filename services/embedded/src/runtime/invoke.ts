import type { Logger } from "@todo/common";
import type { AppChannel } from "./app-channel.ts";
import { daprError } from "./errors.ts";
import { internalTokenHeader } from "./name-resolution.ts";

/**
 * Service invocation as daprd does it over HTTP: the request goes to the
 * callee's app channel unchanged (method, path, query, headers, body) minus
 * the caller's API token, plus dapr-caller-app-id / dapr-callee-app-id; the
 * callee's answer comes back unchanged.
 */
export interface InvokeContext {
  callerAppId: string;
  channel: (appId: string) => AppChannel | undefined;
  logger: Logger;
}

/** Headers that describe one hop, not the message. */
const hopHeaders = [
  "dapr-api-token",
  internalTokenHeader,
  "dapr-app-id",
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "keep-alive",
];

/**
 * `method` is the callee path without its leading "/" plus the original query string;
 * `forwardedBy` is the original caller when another sidecar forwarded the call here.
 */
export async function invokeApp(
  ctx: InvokeContext,
  request: Request,
  calleeAppId: string,
  method: string,
  forwardedBy?: string,
): Promise<Response> {
  // "app.namespace": there is one namespace here, so the suffix names the same app.
  const appId = ctx.channel(calleeAppId) ? calleeAppId : calleeAppId.split(".")[0] ?? calleeAppId;
  const channel = ctx.channel(appId);
  if (!channel) {
    return daprError(500, "ERR_DIRECT_INVOKE", `failed to invoke, id: ${calleeAppId}, err: app not found`);
  }
  const headers = new Headers(request.headers);
  for (const name of hopHeaders) headers.delete(name);
  headers.set("dapr-caller-app-id", forwardedBy ?? ctx.callerAppId);
  headers.set("dapr-callee-app-id", appId);
  const forwardedHost = request.headers.get("host");
  if (forwardedHost && !forwardedBy) headers.set("x-forwarded-host", forwardedHost);

  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  try {
    return await channel.call(`/${method}`, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
    });
  } catch (error) {
    ctx.logger.warn("service invocation failed", { caller: forwardedBy ?? ctx.callerAppId, callee: appId, error });
    const reason = error instanceof Error ? error.message : String(error);
    return daprError(500, "ERR_DIRECT_INVOKE", `failed to invoke, id: ${appId}, err: ${reason}`);
  }
}
