import packageJson from "../../package.json" with { type: "json" };
import { daprError, noContent } from "./errors.ts";
import type { Subscription } from "./pubsub/subscriptions.ts";

/**
 * GET /v1.0/metadata in daprd's HTTP shape (pkg/api/http/metadata.go):
 * subscriptions carry `rules` as a flat list with the default route last
 * and no `match`, `deadLetterTopic` always present.
 */
export const runtimeVersion = `embedded-${packageJson.version}`;

export interface ComponentNames {
  pubsub: string[];
  state: string[];
  secrets: string[];
}

/** How the sidecar reaches its app (daprd's appConnectionProperties). */
export interface AppConnection {
  port?: number;
  protocol: string;
  channelAddress?: string;
}

export interface SidecarMetadataInput {
  appId: string;
  components: ComponentNames;
  subscriptions: Subscription[];
  appConnection: AppConnection | undefined;
  extended: Record<string, string>;
}

export function sidecarMetadata(input: SidecarMetadataInput) {
  return {
    id: input.appId,
    runtimeVersion,
    enabledFeatures: [] as string[],
    components: componentsMetadata(input.components),
    subscriptions: input.subscriptions.map(subscriptionMetadata),
    appConnectionProperties: input.appConnection ?? { protocol: "http" },
    extended: { ...input.extended },
  };
}

export interface RuntimeMetadataInput {
  components: ComponentNames;
  apps: { appId: string; subscriptions: Subscription[]; appConnection: AppConnection | undefined }[];
}

/** The runtime-wide view: every hosted app with its subscriptions. */
export function runtimeMetadata(input: RuntimeMetadataInput) {
  return {
    id: "embedded",
    runtimeVersion,
    enabledFeatures: [] as string[],
    components: componentsMetadata(input.components),
    apps: input.apps.map((app) => ({
      id: app.appId,
      subscriptions: app.subscriptions.map(subscriptionMetadata),
      appConnectionProperties: app.appConnection ?? { protocol: "http" },
    })),
  };
}

export function componentsMetadata(names: ComponentNames) {
  return [
    ...names.pubsub.map((name) => ({ name, type: "pubsub.embedded", version: "v1", capabilities: [] as string[] })),
    ...names.state.map((name) => ({ name, type: "state.embedded", version: "v1", capabilities: ["ETAG", "TRANSACTIONAL", "TTL"] })),
    ...names.secrets.map((name) => ({ name, type: "secretstores.embedded", version: "v1", capabilities: [] as string[] })),
  ];
}

export function subscriptionMetadata(sub: Subscription) {
  return {
    pubsubname: sub.pubsubName,
    topic: sub.topic,
    ...(Object.keys(sub.metadata).length > 0 ? { metadata: { ...sub.metadata } } : {}),
    rules: sub.rules.map((rule) => (rule.match === "" ? { path: rule.path } : { match: rule.match, path: rule.path })),
    deadLetterTopic: sub.deadLetterTopic ?? "",
    type: "PROGRAMMATIC",
  };
}

/** GET /v1.0/metadata and PUT /v1.0/metadata/{key} (the body becomes extended[key]). */
export async function handleMetadataApi(
  request: Request,
  key: string | undefined,
  view: { read: () => object; extend: (key: string, value: string) => void },
): Promise<Response> {
  if (key === undefined) {
    if (request.method !== "GET") return daprError(405, "ERR_METHOD_NOT_ALLOWED", `method ${request.method} is not allowed`);
    return Response.json(view.read());
  }
  if (request.method !== "PUT") return daprError(405, "ERR_METHOD_NOT_ALLOWED", `method ${request.method} is not allowed`);
  view.extend(key, await request.text());
  return noContent();
}
