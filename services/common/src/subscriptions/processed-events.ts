import type { DaprClient } from "../dapr/types.ts";

export const DEFAULT_IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * State key recording that `route` of `appId` processed `eventId`. Dapr
 * rejects keys containing "||" (its own prefix separator), and a "/" would
 * have to survive the key's trip through the URL path, so the parts are
 * joined with ":" and the route's slashes become dots.
 */
export function processedEventKey(appId: string, route: string, eventId: string): string {
  const routeName = route.replace(/^\/+/, "").replace(/\//g, ".");
  return `processed:${appId}:${routeName}:${eventId}`;
}

export interface ProcessedEventsOptions {
  dapr: DaprClient;
  stateStore: string;
  ttlInSeconds: number;
  now?: () => Date;
}

export function processedEvents(options: ProcessedEventsOptions) {
  const { dapr, stateStore, ttlInSeconds } = options;
  const now = options.now ?? (() => new Date());
  return {
    /** Throws when the sidecar cannot answer: the caller must not guess. */
    async has(key: string): Promise<boolean> {
      return (await dapr.getState(stateStore, key)) !== undefined;
    },
    async record(key: string, eventType: string): Promise<void> {
      await dapr.saveState(stateStore, [{ key, value: { processedAt: now().toISOString(), eventType }, ttlInSeconds }]);
    },
  };
}

export type ProcessedEvents = ReturnType<typeof processedEvents>;
