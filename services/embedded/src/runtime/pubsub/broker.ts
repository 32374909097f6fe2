import type { Database } from "bun:sqlite";
import type { Logger } from "@todo/common";
import type { AppChannel } from "../app-channel.ts";
import { createMessageLog, type LoggedMessage, type NewMessage } from "./message-log.ts";
import { partitionFor } from "./partition.ts";
import { runPartitionWorker, type RetryPolicy } from "./partition-worker.ts";
import type { Subscription } from "./subscriptions.ts";
import { createTopicSignal, sleep } from "./topic-signal.ts";

/**
 * The embedded pub/sub component: a durable, partitioned log in the runtime
 * database with at-least-once, per-key ordered delivery to every subscribing
 * app (each app is its own consumer group, starting at the oldest message).
 */
export interface BrokerOptions {
  db: Database;
  logger: Logger;
  pubsubNames: string[];
  channel: (appId: string) => AppChannel | undefined;
  retry: RetryPolicy;
  partitions: number;
  /** Acknowledged messages older than this are deleted (default 7 days). */
  retentionMs?: number;
  sweepIntervalMs?: number;
  /** How long stop() waits for deliveries in flight (default 5 s, daprd's graceful shutdown). */
  stopTimeoutMs?: number;
  now?: () => number;
}

export interface OutgoingEvent {
  pubsub: string;
  topic: string;
  payload: Uint8Array;
  /** The partition key (metadata.partitionKey); without one, events spread by id. */
  key: string | undefined;
  eventId: string | undefined;
  metadata: Record<string, string>;
}

export interface Broker {
  readonly pubsubNames: readonly string[];
  /** Appends the events in one transaction and wakes their subscribers; returns once committed. */
  publish(events: OutgoingEvent[]): void;
  /** Sets an app's subscriptions; before start(). */
  setSubscriptions(appId: string, subscriptions: Subscription[]): void;
  subscriptions(appId?: string): Subscription[];
  start(): void;
  /** Takes no new deliveries, waits (bounded) for those in flight; the db stays open. */
  stop(): Promise<void>;
  /** Applies the retention policy now; returns the number of messages deleted. */
  sweep(): number;
}

const day = 24 * 60 * 60 * 1000;
const WORKER_RESTART_MS = 1_000;

export function createBroker(options: BrokerOptions): Broker {
  const now = options.now ?? Date.now;
  const log = createMessageLog(options.db);
  const topics = createTopicSignal();
  const byApp = new Map<string, Subscription[]>();
  const stopping = new AbortController();
  const cancelCalls = new AbortController();
  const workers: Promise<void>[] = [];
  let sweepTimer: ReturnType<typeof setInterval> | undefined;
  let state: "new" | "running" | "stopped" = "new";

  const toNewMessage = (event: OutgoingEvent): NewMessage => ({
    pubsub: event.pubsub,
    topic: event.topic,
    partition: partitionFor(event.key ?? event.eventId ?? crypto.randomUUID(), options.partitions),
    key: event.key ?? null,
    metadata: event.metadata,
    payload: event.payload,
  });

  const deadLetterCopy = (message: LoggedMessage, topic: string): NewMessage => ({
    ...message,
    topic,
    partition: partitionFor(message.key ?? crypto.randomUUID(), options.partitions),
  });

  const consumersOf = (pubsub: string, topic: string) =>
    [...byApp.values()].flat().filter((s) => s.pubsubName === pubsub && s.topic === topic).map((s) => s.appId);

  const sweep = () => {
    const deleted = log.deleteAcknowledged(now() - (options.retentionMs ?? 7 * day), consumersOf);
    if (deleted > 0) options.logger.info("pub/sub retention deleted acknowledged messages", { deleted });
    return deleted;
  };

  const startWorkers = (sub: Subscription) => {
    const partitions = new Set<number>(Array.from({ length: options.partitions }, (_, i) => i));
    // Messages written with another partition count are still delivered.
    for (const p of log.partitionsInUse(sub.pubsubName, sub.topic)) partitions.add(p);
    for (const partition of partitions) workers.push(keepDelivering(sub, partition));
  };

  /**
   * One partition's worker, started again when the log fails under it (a
   * full disk refuses the acknowledgement): it resumes from the last
   * acknowledged offset, so the unacknowledged message is delivered again.
   */
  const keepDelivering = async (sub: Subscription, partition: number) => {
    while (!stopping.signal.aborted) {
      try {
        await runPartitionWorker({
          log,
          subscription: sub,
          partition,
          channel: options.channel,
          retry: options.retry,
          logger: options.logger,
          now,
          topics,
          stopping: stopping.signal,
          cancelCalls: cancelCalls.signal,
          deadLetterCopy,
        });
        return;
      } catch (error) {
        if (state === "stopped" || stopping.signal.aborted) return; // the db may be closed under a late worker
        options.logger.error("a pub/sub delivery worker failed; restarting it", { appId: sub.appId, topic: sub.topic, partition, error });
        await sleep(WORKER_RESTART_MS, stopping.signal);
      }
    }
  };

  return {
    pubsubNames: options.pubsubNames,
    publish(events) {
      if (events.length === 0) return;
      log.append(events.map(toNewMessage), now());
      for (const { pubsub, topic } of events) topics.notify(pubsub, topic);
    },
    setSubscriptions(appId, subscriptions) {
      byApp.set(appId, subscriptions);
    },
    subscriptions(appId) {
      return appId === undefined ? [...byApp.values()].flat() : (byApp.get(appId) ?? []);
    },
    start() {
      if (state !== "new") return;
      state = "running";
      for (const sub of [...byApp.values()].flat()) startWorkers(sub);
      sweep();
      sweepTimer = setInterval(() => {
        try {
          sweep();
        } catch (error) {
          options.logger.error("pub/sub retention sweep failed", { error });
        }
      }, options.sweepIntervalMs ?? 60 * 60 * 1000);
      sweepTimer.unref?.();
    },
    async stop() {
      if (state === "stopped") return;
      clearInterval(sweepTimer);
      stopping.abort();
      const timeoutMs = options.stopTimeoutMs ?? 5_000;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finished = await Promise.race([
        Promise.all(workers).then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
      ]);
      clearTimeout(timer);
      if (!finished) {
        options.logger.warn("stopping with deliveries still in flight; they will be redelivered", { timeoutMs });
        cancelCalls.abort();
      }
      state = "stopped";
    },
    sweep,
  };
}
