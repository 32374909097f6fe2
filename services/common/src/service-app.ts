import { Elysia } from "elysia";
import type { Registry } from "prom-client";
import type { DaprClient } from "./dapr/types.ts";
import { httpErrors } from "./http-errors.ts";
import type { Logger } from "./logger.ts";
import { observability, type ReadinessCheck } from "./observability.ts";

/** What every service's createApp(deps) receives, whichever runtime hosts it. */
export interface ServiceDeps {
  dapr: DaprClient;
  logger: Logger;
  /** Names of the Dapr components the service talks to. */
  components: { pubsub: string; stateStore: string; secretStore: string };
  /** Prometheus registry for this app; a fresh one when omitted. */
  registry?: Registry;
  collectProcessMetrics?: boolean;
  now?: () => Date;
}

/**
 * The base every service app starts from: error mapping, health, readiness
 * (the sidecar answers, plus the service's own checks) and metrics.
 */
export function createServiceApp(name: string, deps: ServiceDeps, checks: ReadinessCheck[] = []) {
  const sidecar: ReadinessCheck = { name: "dapr", check: () => deps.dapr.healthy({ outbound: true }) };
  return new Elysia({ name })
    .use(httpErrors(deps.logger))
    .use(
      observability({
        service: name,
        checks: [sidecar, ...checks],
        registry: deps.registry,
        collectProcessMetrics: deps.collectProcessMetrics,
      }),
    );
}
