import { createMemoryLogger, type DaprClient, type ServiceDeps } from "@todo/common";
import { Registry } from "prom-client";

export const COMPONENTS = { pubsub: "pubsub", stateStore: "statestore", secretStore: "secretstore" };

/** What a service's createApp receives in a test: a memory logger, its own registry, the default component names. */
export function serviceDeps(appId: string, dapr: DaprClient, overrides: Partial<ServiceDeps> = {}) {
  return { dapr, logger: createMemoryLogger(appId), components: COMPONENTS, registry: new Registry(), ...overrides };
}
