import type { Logger } from "@todo/common";
import type { AppChannel } from "../app-channel.ts";
import { compileRule, type RouteRule } from "./route-rules.ts";

/** One programmatic subscription of an app, as loaded from GET /dapr/subscribe. */
export interface Subscription {
  appId: string;
  pubsubName: string;
  topic: string;
  deadLetterTopic: string | undefined;
  metadata: Record<string, string>;
  /** In evaluation order; the default route (routes.default, else route) is last with match "". */
  rules: RouteRule[];
}

/**
 * Like daprd at start-up: 200 + JSON array = subscriptions, 404 = none, any
 * other answer (or a failed call) = none, with a warning.
 */
export async function loadSubscriptions(
  channel: AppChannel,
  options: { pubsubNames: string[]; logger: Logger },
): Promise<Subscription[]> {
  const logger = options.logger.child({ appId: channel.appId });
  let response: Response;
  try {
    response = await channel.call("/dapr/subscribe", { method: "GET" });
  } catch (error) {
    logger.warn("GET /dapr/subscribe failed; the app has no subscriptions", { error });
    return [];
  }
  if (response.status === 404) return [];
  if (response.status !== 200) {
    logger.warn("GET /dapr/subscribe answered an error; the app has no subscriptions", { status: response.status });
    return [];
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    logger.warn("GET /dapr/subscribe did not answer JSON; the app has no subscriptions");
    return [];
  }
  return parseSubscriptions(channel.appId, body, { ...options, logger });
}

export function parseSubscriptions(
  appId: string,
  body: unknown,
  options: { pubsubNames: string[]; logger: Logger },
): Subscription[] {
  const { logger } = options;
  if (!Array.isArray(body)) {
    logger.warn("GET /dapr/subscribe did not answer a JSON array; the app has no subscriptions");
    return [];
  }
  const subscriptions: Subscription[] = [];
  for (const entry of body) {
    if (!isObject(entry)) {
      logger.warn("skipping a subscription that is not an object");
      continue;
    }
    const pubsubName = stringField(entry, "pubsubname");
    const topic = stringField(entry, "topic");
    if (!pubsubName || !topic) {
      logger.warn("skipping a subscription without pubsubname or topic", { subscription: entry });
      continue;
    }
    if (!options.pubsubNames.includes(pubsubName)) {
      logger.warn("skipping a subscription to an unknown pubsub", { pubsubName, topic });
      continue;
    }
    if (subscriptions.some((s) => s.pubsubName === pubsubName && s.topic === topic)) {
      logger.warn("skipping a second subscription to the same topic", { pubsubName, topic });
      continue;
    }
    if (field(entry, "bulkSubscribe") !== undefined) {
      logger.info("bulkSubscribe is not supported by the embedded runtime; events are delivered one by one", {
        pubsubName,
        topic,
      });
    }
    const rules = routeRules(entry, logger.child({ pubsubName, topic }));
    if (rules.length === 0) {
      logger.warn("skipping a subscription without any route", { pubsubName, topic });
      continue;
    }
    subscriptions.push({
      appId,
      pubsubName,
      topic,
      deadLetterTopic: stringField(entry, "deadLetterTopic") || undefined,
      metadata: stringRecord(field(entry, "metadata")),
      rules,
    });
  }
  return subscriptions;
}

function routeRules(entry: Record<string, unknown>, logger: Logger): RouteRule[] {
  const routes = field(entry, "routes");
  const rules: RouteRule[] = [];
  let defaultPath = stringField(entry, "route");
  if (isObject(routes)) {
    const declared = field(routes, "rules");
    for (const rule of Array.isArray(declared) ? declared : []) {
      const match = isObject(rule) ? stringField(rule, "match") : undefined;
      const path = isObject(rule) ? stringField(rule, "path") : undefined;
      const compiled = match !== undefined && path ? compileRule(match, path) : undefined;
      if (compiled) rules.push(compiled);
      else logger.warn("skipping a routing rule the embedded runtime cannot evaluate", { rule });
    }
    // daprd: routes.default beats the legacy route.
    defaultPath = stringField(routes, "default") || defaultPath;
  }
  if (defaultPath) rules.push({ match: "", path: defaultPath, matches: () => true });
  return rules;
}

/** Go's encoding/json matches field names case-insensitively, and so do we. */
function field(object: Record<string, unknown>, name: string): unknown {
  if (name in object) return object[name];
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(object)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

function stringField(object: Record<string, unknown>, name: string): string | undefined {
  const value = field(object, name);
  return typeof value === "string" ? value : undefined;
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
