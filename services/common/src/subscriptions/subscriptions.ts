import { Elysia } from "elysia";
import { hasAppToken } from "../app-token.ts";
import { errorBody } from "../http-errors.ts";
import type { EventType } from "../events/catalogue.ts";
import { deliverEvent } from "./deliver.ts";
import { DEFAULT_IDEMPOTENCY_TTL_SECONDS, processedEvents } from "./processed-events.ts";
import type { DeliveryStatus, Subscription, SubscriptionsOptions } from "./types.ts";

/** Declares one subscription; `types` narrows the event the handler receives. */
export function defineSubscription<T extends EventType = EventType>(subscription: Subscription<T>): Subscription {
  return subscription as unknown as Subscription;
}

/** The programmatic subscription list daprd reads from GET /dapr/subscribe. */
export function daprSubscribeEntries(subscriptions: readonly Subscription[]) {
  return subscriptions.map(({ pubsub, topic, route, deadLetterTopic }) => ({
    pubsubname: pubsub,
    topic,
    route,
    ...(deadLetterTopic ? { deadLetterTopic } : {}),
  }));
}

/**
 * Serves GET /dapr/subscribe and one POST route per subscription. Every
 * delivery answers 200 with {"status": "SUCCESS" | "RETRY" | "DROP"}: daprd
 * reads any other status code as "retry", and 404 as "drop" without the
 * dead-letter topic on Dapr < 1.17.
 */
export function subscriptions(options: SubscriptionsOptions) {
  checkRoutes(options.subscriptions);
  const entries = daprSubscribeEntries(options.subscriptions);
  const deps = {
    appId: options.appId,
    logger: options.logger,
    processed: processedEvents({
      dapr: options.dapr,
      stateStore: options.stateStore,
      ttlInSeconds: options.idempotencyTtlSeconds ?? DEFAULT_IDEMPOTENCY_TTL_SECONDS,
    }),
  };

  // A call without daprd's token is refused; daprd treats 401 as "retry", so nothing is lost to a misconfiguration.
  const app = new Elysia()
    .onBeforeHandle(({ request, set }) => {
      if (hasAppToken(request.headers, options.appApiToken)) return;
      set.status = 401;
      return errorBody("unauthorized", "missing or wrong dapr-api-token");
    })
    .get("/dapr/subscribe", () => entries);
  for (const subscription of options.subscriptions) {
    app.post(
      subscription.route,
      async ({ request }): Promise<{ status: DeliveryStatus }> => {
        let body: string;
        try {
          body = await request.text();
        } catch (error) {
          options.logger.warn("cannot read event body; asking for redelivery", { topic: subscription.topic, error });
          return { status: "RETRY" };
        }
        const { status, outcome } = await deliverEvent(subscription, { body, headers: request.headers }, deps);
        options.metrics?.delivered(subscription.topic, outcome);
        return { status };
      },
      // daprd posts application/cloudevents+json, which Elysia does not parse as JSON: the handler reads
      // the raw text itself, and Elysia must leave the body unread whatever the content type.
      { parse: "none" },
    );
  }
  return app;
}

function checkRoutes(subscriptions: readonly Subscription[]) {
  const seen = new Set<string>();
  for (const { route } of subscriptions) {
    if (!route.startsWith("/")) throw new Error(`subscription route must start with "/": ${route}`);
    if (route === "/dapr/subscribe") throw new Error("subscription route /dapr/subscribe is reserved");
    if (seen.has(route)) throw new Error(`two subscriptions share the route ${route}`);
    seen.add(route);
  }
}
