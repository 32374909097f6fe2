/**
 * Plain HTTP calls to a sidecar, as a service would make them: no SDK, so the
 * suite checks the wire format and nothing else.
 */
export interface DaprRequest {
  /** Serialised as JSON with Content-Type application/json. */
  json?: unknown;
  /** Raw body; give `contentType` with it. */
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Sent as `dapr-api-token`; defaults to the client's token, `null` sends none. */
  token?: string | null;
}

export interface DaprApi {
  readonly baseUrl: string;
  request(method: string, path: string, init?: DaprRequest): Promise<Response>;
  /** POST /v1.0/publish/{pubsub}/{topic} with a JSON body. */
  publish(
    pubsub: string,
    topic: string,
    data: unknown,
    options?: { partitionKey?: string; headers?: Record<string, string> },
  ): Promise<Response>;
}

export function daprApi(baseUrl: string, token?: string): DaprApi {
  const request = (method: string, path: string, init: DaprRequest = {}) => {
    const headers = new Headers(init.headers);
    const chosenToken = init.token === undefined ? token : init.token;
    if (chosenToken) headers.set("dapr-api-token", chosenToken);
    let body: string | undefined = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers.set("content-type", "application/json");
    }
    if (init.contentType) headers.set("content-type", init.contentType);
    return fetch(baseUrl + path, { method, headers, body });
  };
  return {
    baseUrl,
    request,
    publish: (pubsub, topic, data, options = {}) => {
      const query = options.partitionKey ? `?metadata.partitionKey=${encodeURIComponent(options.partitionKey)}` : "";
      return request("POST", `/v1.0/publish/${pubsub}/${encodeURIComponent(topic)}${query}`, {
        json: data,
        headers: options.headers,
      });
    },
  };
}

/** Reads a response body as JSON, failing with the status and text when it is not JSON. */
export async function jsonOf<T = unknown>(response: Response): Promise<T> {
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`expected a JSON body, got ${response.status} ${JSON.stringify(text)}`);
  }
}

/** Publishes and fails loudly unless the sidecar accepted it (204). */
export async function publishOk(
  api: DaprApi,
  pubsub: string,
  topic: string,
  data: unknown,
  options?: { partitionKey?: string; headers?: Record<string, string> },
): Promise<void> {
  const response = await api.publish(pubsub, topic, data, options);
  if (response.status !== 204) {
    throw new Error(`publish to ${topic} answered ${response.status} ${await response.text()}`);
  }
}
