import { Elysia } from "elysia";
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

/** A dependency the service needs before it can take traffic (database, sidecar...). */
export interface ReadinessCheck {
  name: string;
  check: () => boolean | Promise<boolean>;
}

export interface ObservabilityOptions {
  service: string;
  checks?: ReadinessCheck[];
  /** Shared by every app of the process in embedded mode; a fresh one when omitted. */
  registry?: Registry;
  /** Process-wide metrics (CPU, memory, event loop); only one app per process should collect them. */
  collectProcessMetrics?: boolean;
}

/** Several apps may share one registry (embedded mode), so metrics are created once per registry, labelled by service. */
const metricsByRegistry = new WeakMap<Registry, ReturnType<typeof createHttpMetrics>>();

function httpMetrics(registry: Registry) {
  let metrics = metricsByRegistry.get(registry);
  if (!metrics) metricsByRegistry.set(registry, (metrics = createHttpMetrics(registry)));
  return metrics;
}

function createHttpMetrics(registry: Registry) {
  return {
    requests: new Counter({
      name: "http_requests_total",
      help: "HTTP requests served, by service, method, route and status.",
      labelNames: ["service", "method", "route", "status"],
      registers: [registry],
    }),
    duration: new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request duration in seconds, by service, method and route.",
      labelNames: ["service", "method", "route"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}

/**
 * /healthz (the process is alive), /readyz (every dependency answers) and
 * Prometheus /metrics, plus request counters for every route of the app.
 */
export function observability(options: ObservabilityOptions) {
  const registry = options.registry ?? new Registry();
  if (options.collectProcessMetrics) collectDefaultMetrics({ register: registry });
  const { requests, duration } = httpMetrics(registry);
  const service = options.service;
  const started = new WeakMap<Request, number>();

  return new Elysia({ name: `observability:${options.service}` })
    .decorate("metricsRegistry", registry)
    .onRequest(({ request }) => {
      started.set(request, performance.now());
    })
    .onAfterResponse({ as: "global" }, ({ request, route, set }) => {
      const start = started.get(request);
      const labels = { service, method: request.method, route: route || "unmatched" };
      requests.inc({ ...labels, status: String(set.status ?? 200) });
      if (start !== undefined) duration.observe(labels, (performance.now() - start) / 1000);
    })
    .get("/healthz", () => ({ status: "ok", service: options.service }))
    .get("/readyz", async ({ set }) => {
      const results = await Promise.all(
        (options.checks ?? []).map(async ({ name, check }) => [name, await safely(check)] as const),
      );
      const ready = results.every(([, ok]) => ok);
      set.status = ready ? 200 : 503;
      return { status: ready ? "ready" : "not-ready", service: options.service, checks: Object.fromEntries(results) };
    })
    .get("/metrics", async ({ set }) => {
      set.headers["content-type"] = registry.contentType;
      return registry.metrics();
    });
}

async function safely(check: () => boolean | Promise<boolean>): Promise<boolean> {
  try {
    return await check();
  } catch {
    return false;
  }
}
