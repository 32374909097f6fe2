/**
 * Wakes the delivery workers of a topic when something is published to it,
 * so idle workers sleep instead of polling the log.
 */
export interface TopicSignal {
  notify(pubsub: string, topic: string): void;
  /** Resolves on the next notify for that topic, or when `signal` aborts. */
  wait(pubsub: string, topic: string, signal: AbortSignal): Promise<void>;
}

export function createTopicSignal(): TopicSignal {
  const waiters = new Map<string, Set<() => void>>();
  const keyOf = (pubsub: string, topic: string) => `${pubsub}\u0000${topic}`;
  return {
    notify(pubsub, topic) {
      const key = keyOf(pubsub, topic);
      const wake = waiters.get(key);
      if (!wake) return;
      waiters.delete(key);
      for (const resolve of wake) resolve();
    },
    wait(pubsub, topic, signal) {
      if (signal.aborted) return Promise.resolve();
      const key = keyOf(pubsub, topic);
      return new Promise<void>((resolve) => {
        const set = waiters.get(key) ?? new Set();
        waiters.set(key, set);
        const done = () => {
          set.delete(done);
          signal.removeEventListener("abort", done);
          resolve();
        };
        set.add(done);
        signal.addEventListener("abort", done, { once: true });
      });
    },
  };
}

/** Sleeps `ms`; resolves false early when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
