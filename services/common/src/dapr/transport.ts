import { DaprError, DaprUnavailableError, daprErrorFromResponse, type DaprOperation } from "./errors.ts";
import type { DaprClientOptions } from "./types.ts";

export interface DaprRequest {
  method: string;
  /** Already encoded, starting with "/". */
  path: string;
  query?: URLSearchParams;
  headers?: Record<string, string>;
  body?: BodyInit;
}

/** Sends one request to the sidecar and returns its reply, whatever the status. */
export type SendToDapr = (operation: DaprOperation, request: DaprRequest) => Promise<Response>;

export const defaultTimeoutMs = 10_000;

/**
 * Everything the client sends goes through here: one place that adds the API
 * token and the timeout, and turns "no answer" into DaprUnavailableError.
 * A Request object is handed to `fetch` so an in-process runtime can route it directly.
 */
export function createTransport(options: DaprClientOptions): SendToDapr {
  const fetchFn = options.fetch ?? fetch;
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;

  return async (operation, request) => {
    const query = request.query?.toString();
    const url = `${baseUrl}${request.path}${query ? `?${query}` : ""}`;
    const headers = new Headers(request.headers);
    if (options.apiToken !== undefined) headers.set("dapr-api-token", options.apiToken);
    const outgoing = new Request(url, {
      method: request.method,
      headers,
      body: request.body ?? null,
      signal: AbortSignal.timeout(timeoutMs),
    });
    try {
      return await fetchFn(outgoing);
    } catch (cause) {
      throw new DaprUnavailableError(operation, cause, timeoutMs);
    }
  };
}

/** Throws the typed error for a non-2xx reply; otherwise returns the reply untouched. */
export async function ensureOk(operation: DaprOperation, response: Response): Promise<Response> {
  if (response.ok) return response;
  throw await daprErrorFromResponse(operation, response);
}

/** For calls whose success carries nothing we need (daprd answers 204). */
export async function expectSuccess(operation: DaprOperation, response: Response): Promise<void> {
  await ensureOk(operation, response);
  await discardBody(response);
}

/** The reply body as text; a body cut off by a reset or the timeout means the sidecar is unavailable. */
export async function readText(operation: DaprOperation, response: Response): Promise<string> {
  try {
    return await response.text();
  } catch (cause) {
    throw new DaprUnavailableError(operation, cause);
  }
}

/** Parses a JSON reply; a 2xx that is not JSON breaks the contract, so it is an error, not undefined. */
export async function readJson<T>(operation: DaprOperation, response: Response): Promise<T> {
  const text = await readText(operation, response);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new DaprError({
      operation,
      status: response.status,
      message: `expected JSON from the Dapr sidecar, got: ${text.slice(0, 200)}`,
    });
  }
}

export async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** Encodes each "/"-separated segment: topics and invoked methods may contain "/", daprd keeps them as path. */
export function encodeSegments(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** `metadata.<key>` query parameters, which daprd turns into request metadata. */
export function metadataQuery(metadata: Record<string, string> | undefined, query = new URLSearchParams()): URLSearchParams {
  for (const [key, value] of Object.entries(metadata ?? {})) query.set(`metadata.${key}`, value);
  return query;
}
