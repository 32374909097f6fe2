import { Elysia } from "elysia";
import type { Registry } from "prom-client";
import type { Background } from "./background.ts";
import type { DaprClient } from "./dapr/types.ts";
import { refuseControlCharacters } from "./control-characters.ts";
import { httpErrors } from "./http-errors.ts";
import { jsonBodiesOnly } from "./json-bodies.ts";
import type { Logger } from "./logger.ts";
import { observability, type ReadinessCheck } from "./observability.ts";
import { deliveryMetrics } from "./subscriptions/metrics.ts";
import { subscriptions } from "./subscriptions/subscriptions.ts";
import type { Subscription } from "./subscriptions/types.ts";

/** What every service's createApp(deps) receives, whichever runtime hosts it. */
export interface ServiceDeps {
  dapr: DaprClient;
  logger: Logger;
  /** Names of the Dapr components the service talks to. */
  components: { pubsub: string; stateStore: string; secretStore: string };
  /** Prometheus registry; shared by every app of the process in embedded mode. */
  registry: Registry;
  /** APP_API_TOKEN: what daprd sends as dapr-api-token; Dapr-facing routes require it when set. */
  appApiToken?: string;
  collectProcessMetrics?: boolean;
  now?: () => Date;
  /** Where the app registers work that runs outside requests; the host starts and stops it. */
  background?: Background;
}

/**
 * The base every service app starts from: error mapping, JSON-only bodies
 * (415), no control characters in any input (400), health, readiness (the
 * sidecar answers, plus the service's own checks) and metrics.
 */
export function createServiceApp(name: string, deps: ServiceDeps, checks: ReadinessCheck[] = []) {
  const sidecar: ReadinessCheck = { name: "dapr", check: () => deps.dapr.healthy({ outbound: true }) };
  return new Elysia({ name })
    .use(httpErrors(deps.logger))
    .use(jsonBodiesOnly())
    .use(refuseControlCharacters())
    .use(
      observability({
        service: name,
        checks: [sidecar, ...checks],
        registry: deps.registry,
        collectProcessMetrics: deps.collectProcessMetrics,
      }),
    );
}

/** The subscription helper wired from a service's deps: idempotency state, app token, delivery metrics. */
export function consumerSubscriptions(appId: string, deps: ServiceDeps, declared: Subscription[]) {
  return subscriptions({
    appId,
    dapr: deps.dapr,
    stateStore: deps.components.stateStore,
    logger: deps.logger,
    appApiToken: deps.appApiToken,
    metrics: deliveryMetrics(deps.registry, appId),
    subscriptions: declared,
  });
}
