/**
 * How the runtime reaches an app, as daprd does through --app-port: every
 * call (subscriptions, event delivery, job triggers, invocation) goes through
 * a channel that adds the app API token when one is configured.
 */
export interface AppChannel {
  readonly appId: string;
  /** `path` starts with "/" (e.g. "/dapr/subscribe", "/job/reminder-1"). */
  call(path: string, init?: RequestInit): Promise<Response>;
}

export type AppHandler = (request: Request) => Response | Promise<Response>;

/** An app hosted in this process: its Elysia `handle` (or any fetch handler). */
export function inProcessChannel(appId: string, handler: AppHandler, appApiToken?: string): AppChannel {
  // Elysia finds the path after the host, so the host must look like one.
  const origin = `http://${appId}.app.local`;
  return {
    appId,
    call: async (path, init) => handler(new Request(origin + path, withToken(init, appApiToken))),
  };
}

/** An app listening on a port, like `daprd --app-port`. */
export function httpChannel(appId: string, baseUrl: string, appApiToken?: string): AppChannel {
  const origin = baseUrl.replace(/\/$/, "");
  return {
    appId,
    call: (path, init) => fetch(origin + path, withToken(init, appApiToken)),
  };
}

function withToken(init: RequestInit | undefined, token: string | undefined): RequestInit {
  if (!token) return init ?? {};
  const headers = new Headers(init?.headers);
  headers.set("dapr-api-token", token);
  return { ...init, headers };
}
