import type { BackgroundTask, Logger } from "@todo/common";
import type { ConnectionRegistry } from "./connection-registry.ts";
import { CLOSE_GOING_AWAY, type LocalConnections } from "./local-connections.ts";
import type { PerKeySerial } from "./per-key-serial.ts";

export interface PresenceDeps {
  registry: ConnectionRegistry;
  connections: LocalConnections;
  serial: PerKeySerial;
  heartbeatMs: number;
  logger: Logger;
}

/**
 * Keeps this replica's entries in the connection registry true: written on
 * every open and close, refreshed on a heartbeat (so they do not go stale
 * while tabs stay open), zeroed on shutdown.
 */
export function createPresence(deps: PresenceDeps) {
  const { registry, connections, serial, logger } = deps;
  let stopped = false;
  let timer: ReturnType<typeof setInterval> | undefined;

  const write = (userId: string, count: () => number) => serial(`presence:${userId}`, () => registry.record(userId, count));
  const record = (userId: string): Promise<void> => (stopped ? Promise.resolve() : write(userId, () => connections.count(userId)));
  const recordQuietly = (userId: string) =>
    record(userId).catch((error) => logger.warn("cannot update the connection registry", { userId, error }));

  const heartbeat: BackgroundTask = {
    start() {
      stopped = false;
      timer = setInterval(() => {
        for (const userId of connections.users()) void recordQuietly(userId);
      }, deps.heartbeatMs);
      timer.unref?.();
    },
    async stop() {
      clearInterval(timer);
      stopped = true;
      // Tell the other replicas first: once the tabs are closed, reminders for these users must be queued.
      await Promise.all(
        connections.users().map((userId) =>
          write(userId, () => 0).catch((error) => logger.warn("cannot clear the connection registry", { userId, error })),
        ),
      );
      for (const connection of connections.all()) connection.socket.close(CLOSE_GOING_AWAY, "server shutting down");
    },
  };

  return { record, recordQuietly, heartbeat };
}

export type Presence = ReturnType<typeof createPresence>;
