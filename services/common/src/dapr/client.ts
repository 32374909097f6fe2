import { jobMethods } from "./jobs.ts";
import { pubsubMethods } from "./pubsub.ts";
import { stateMethods } from "./state.ts";
import { createTransport, discardBody, encodeSegments, ensureOk, readJson, type SendToDapr } from "./transport.ts";
import type { DaprClient, DaprClientOptions, DaprMetadata, InvokeOptions } from "./types.ts";

/**
 * The one Dapr client: plain HTTP against daprd (http://127.0.0.1:3500) or the
 * embedded runtime (pass its in-process handler as `fetch`). Non-2xx replies
 * become typed errors from ./errors.ts, except where a method documents otherwise.
 */
export function createDaprClient(options: DaprClientOptions): DaprClient {
  const send = createTransport(options);
  return {
    ...pubsubMethods(send),
    ...stateMethods(send),
    ...jobMethods(send),
    invoke: (appId, method, invokeOptions) => invoke(send, appId, method, invokeOptions),

    async getSecret(store, name) {
      const path = `/v1.0/secrets/${encodeURIComponent(store)}/${encodeURIComponent(name)}`;
      const response = await ensureOk("getSecret", await send("getSecret", { method: "GET", path }));
      return readJson<Record<string, string>>("getSecret", response);
    },

    async getBulkSecrets(store) {
      const path = `/v1.0/secrets/${encodeURIComponent(store)}/bulk`;
      const response = await ensureOk("getBulkSecrets", await send("getBulkSecrets", { method: "GET", path }));
      return readJson<Record<string, Record<string, string>>>("getBulkSecrets", response);
    },

    async healthy(healthOptions = {}) {
      // /outbound does not wait for the app channel: an app that is not listening yet
      // must use it, or it waits on daprd while daprd waits on the app.
      const path = healthOptions.outbound ? "/v1.0/healthz/outbound" : "/v1.0/healthz";
      try {
        const response = await send("healthy", { method: "GET", path });
        await discardBody(response);
        return response.ok;
      } catch {
        return false;
      }
    },

    async metadata() {
      const response = await ensureOk("metadata", await send("metadata", { method: "GET", path: "/v1.0/metadata" }));
      return readJson<DaprMetadata>("metadata", response);
    },
  };
}

/** The callee's status, headers and body pass through untouched, so no error mapping here. */
async function invoke(send: SendToDapr, appId: string, method: string, options: InvokeOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  const body = invokeBody(options.body);
  if (body !== undefined && body.contentType !== undefined && !hasHeader(headers, "content-type")) {
    headers["Content-Type"] = body.contentType;
  }
  return send("invoke", {
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    path: `/v1.0/invoke/${encodeURIComponent(appId)}/method/${encodeSegments(method.replace(/^\/+/, ""))}`,
    query: new URLSearchParams(options.query),
    headers,
    body: body?.value,
  });
}

function invokeBody(body: unknown): { value: BodyInit; contentType?: string } | undefined {
  if (body === undefined) return undefined;
  if (typeof body === "string") return { value: body, contentType: "text/plain" };
  if (isBodyInit(body)) return { value: body };
  return { value: JSON.stringify(body), contentType: "application/json" };
}

function isBodyInit(body: unknown): body is BodyInit {
  return (
    body instanceof Uint8Array ||
    body instanceof ArrayBuffer ||
    body instanceof Blob ||
    body instanceof FormData ||
    body instanceof URLSearchParams ||
    body instanceof ReadableStream
  );
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}
