import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { serveApp } from "@todo/common";
import { services } from "@todo/embedded/services";
import { createServiceHost } from "@todo/testkit/service-host";
import { rawRequest, requestHead } from "./raw-http.ts";

/**
 * Each service on its own port, as under daprd (distributed mode): its
 * Dapr-facing routes are mounted there, so they must demand the app token
 * however the request is written. A guard that read the path one way while
 * Elysia routed on another let `Host: x` + `/xx/internal/...` through.
 */
setDefaultTimeout(120_000);
const APP_TOKEN = "app-token-for-the-service-port-test";
const serviceHost = createServiceHost();
afterAll(() => serviceHost.close());

const GATE_CODES = ["missing_host", "invalid_host", "invalid_url", "invalid_path"];

const forms: ((path: string) => string)[] = [
  (path) => path,
  (path) => `/xx${path}`,
  (path) => `/a${path}`,
  (path) => `/${path}`,
  (path) => `/api/..${path}`,
  (path) => `/api/%2e%2e${path}`,
  (path) => `/xx${path.replaceAll("/", "%2F")}`,
  (path) => `/xx%2F${path.slice(1)}`,
  (path) => `${path}/`,
  (path) => `http://x/xx${path}`,
  (path) => path.toUpperCase(),
];

describe.each(services.map((service) => [service.appId, service] as const))("%s on its own port", (appId, service) => {
  test("no Dapr-facing route answers without the app token, whatever the Host and path", async () => {
    const app = await service.createApp(serviceHost.deps({ appApiToken: APP_TOKEN }), serviceHost.context());
    const server = serveApp(app, { port: 0, hostname: "127.0.0.1", logger: serviceHost.deps().logger });
    const port = server.port!;
    try {
      // Everything the service serves outside the prefixes the public router forwards to it is for daprd only.
      const daprFacing = app.routes
        .filter(({ path }) => !service.publicPaths.some((prefix) => path === prefix || path.startsWith(prefix + "/")))
        .filter(({ path }) => !["/healthz", "/readyz", "/metrics"].includes(path))
        .map(({ method, path }) => ({ method, path: path.replace(/:[A-Za-z]+/g, "0190f0a0-0000-7000-8000-000000000001") }));
      if (appId !== "chat-api" && appId !== "websocket") expect(daprFacing.length).toBeGreaterThanOrEqual(2);
      const body = "{}";
      for (const route of daprFacing) {
        for (const form of forms) {
          for (const hostHeader of ["x", "ab", "abc", `127.0.0.1:${port}`]) {
            const target = form(route.path);
            const response = await rawRequest(
              port,
              requestHead(route.method, target, {
                host: hostHeader,
                "content-type": "application/json",
                "content-length": String(body.length),
                connection: "close",
              }),
              body,
            );
            const what = `${route.method} ${target} Host ${hostHeader} answered ${response.status}: ${response.body.slice(0, 200)}`;
            // Refused by the gate (400 naming why), the token check (401) or the router (404, 405): never the route itself.
            expect([400, 401, 404, 405], what).toContain(response.status);
            if (response.status === 400) expect(GATE_CODES, what).toContain(/"code":"([a-z_]+)"/.exec(response.body)?.[1] ?? "");
          }
        }
      }
    } finally {
      await server.stop(true);
    }
  });
});
