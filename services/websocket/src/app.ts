import {
  accountExistsThroughChatApi,
  createServiceApp,
  createTokenService,
  deliveryMetrics,
  GATEWAY_DECORATOR,
  readJwtKeys,
  requireExistingAccount,
  subscriptions,
  type AccountExists,
  type JwtKeys,
  type ServiceDeps,
} from "@todo/common";
import { createConnectionRegistry } from "./connection-registry.ts";
import { createGateway, type SocketTuning } from "./gateway.ts";
import { createJournalStore } from "./journal-store.ts";
import { DEFAULT_JOURNAL_LIMITS, type JournalLimits } from "./journal.ts";
import { createLiveEvents } from "./live-events.ts";
import { createLocalConnections } from "./local-connections.ts";
import { createPendingReminders } from "./pending-reminders.ts";
import { createPerKeySerial } from "./per-key-serial.ts";
import { createPresence } from "./presence.ts";
import { createRecentIds } from "./recent-ids.ts";
import { DEFAULT_REPLAY_MERGE_LIMITS, type ReplayMergeLimits } from "./replay-merge.ts";
import { websocketSubscriptions } from "./subscriptions.ts";

export interface WebsocketTuning {
  journal: JournalLimits;
  replay: ReplayMergeLimits;
  socket: SocketTuning;
  /** How often this replica refreshes its connection-registry entries; entries older than staleAfterMs are ignored. */
  presenceHeartbeatMs: number;
  presenceStaleAfterMs: number;
  /** Per user, oldest dropped first; a queued reminder waits at most this long for a tab. */
  maxQueuedReminders: number;
  queuedReminderTtlSeconds: number;
}

export const DEFAULT_TUNING: WebsocketTuning = {
  journal: DEFAULT_JOURNAL_LIMITS,
  replay: DEFAULT_REPLAY_MERGE_LIMITS,
  socket: { idleTimeoutSeconds: 40, backpressureLimitBytes: 1024 * 1024 },
  presenceHeartbeatMs: 60_000,
  presenceStaleAfterMs: 180_000,
  maxQueuedReminders: 100,
  queuedReminderTtlSeconds: 7 * 24 * 60 * 60,
};

export interface WebsocketDeps extends ServiceDeps {
  /** The JWT signing key(s); read from the secret store (`jwt-secret`, `jwt-secret-previous`) when absent. */
  jwtSecret?: string | JwtKeys;
  /**
   * Stable name of this replica (its pod name). Each replica keeps its own
   * registry entry and its own processed-event records; two replicas must
   * never share one. Default "local": the single process of `bun start`.
   */
  instanceId?: string;
  tuning?: Partial<WebsocketTuning>;
  /** Whether a token's account exists; by default chat-api is asked (GET /api/me through service invocation). */
  accountExists?: AccountExists;
}

/** Live push of task and reminder events to the user's open tabs, over Bun's native WebSockets on /ws. */
export async function createApp(deps: WebsocketDeps) {
  const tuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const instanceId = deps.instanceId ?? "local";
  const now = deps.now ?? (() => new Date());
  const nowMs = () => now().getTime();
  const { dapr } = deps;
  const { stateStore } = deps.components;
  const logger = deps.logger;

  const tokens = requireExistingAccount(
    createTokenService(deps.jwtSecret ?? (await readJwtKeys(dapr, deps.components.secretStore)), { now }),
    deps.accountExists ?? accountExistsThroughChatApi(dapr),
  );
  const serial = createPerKeySerial();
  const connections = createLocalConnections(tuning.replay);
  const journal = createJournalStore({ dapr, stateStore, limits: tuning.journal, now: nowMs });
  const registry = createConnectionRegistry({ dapr, stateStore, instanceId, now: nowMs, staleAfterMs: tuning.presenceStaleAfterMs });
  const pending = createPendingReminders({
    dapr,
    stateStore,
    maxQueued: tuning.maxQueuedReminders,
    ttlInSeconds: tuning.queuedReminderTtlSeconds,
  });
  const presence = createPresence({ registry, connections, serial, heartbeatMs: tuning.presenceHeartbeatMs, logger });
  const live = createLiveEvents({
    dapr,
    pubsub: deps.components.pubsub,
    connections,
    journal,
    pending,
    registry,
    serial,
    pushed: createRecentIds(10_000),
    maxEventAgeMs: tuning.journal.maxAgeMs,
    now,
    logger,
  });
  const gateway = createGateway({
    tokens,
    connections,
    journal,
    live,
    presence,
    socket: tuning.socket,
    now,
    logger,
  });
  deps.background?.add("websocket-presence", presence.heartbeat);

  // Every replica must push every event to its own tabs, so processed-event
  // records are per replica (consumerSubscriptions would share one per app).
  const events = subscriptions({
    appId: `websocket.${instanceId}`,
    dapr,
    stateStore,
    logger,
    appApiToken: deps.appApiToken,
    metrics: deliveryMetrics(deps.registry, "websocket"),
    subscriptions: websocketSubscriptions(deps, live),
  });
  return createServiceApp("websocket", deps).use(events).decorate(GATEWAY_DECORATOR, gateway);
}
