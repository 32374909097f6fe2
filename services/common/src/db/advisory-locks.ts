/**
 * Keys of the PostgreSQL advisory locks chat-api takes, in one place so two
 * features never share a key by accident. Two-int form: (namespace, lock).
 */
const namespace = 0x63686174; // "chat"

export const advisoryLocks = {
  /** Held while migrations run, so replicas starting together apply each one once. */
  migrations: [namespace, 1],
  /** Held by the replica whose outbox relay publishes, so events leave in order. */
  outboxRelay: [namespace, 2],
} as const satisfies Record<string, readonly [number, number]>;
