import type { Server, ServerWebSocket } from "bun";
import type { EventJson } from "./event-json.ts";
import { createReplayMerge, type ReplayMerge, type ReplayMergeLimits } from "./replay-merge.ts";

/** What Bun keeps on each socket (`ws.data`), set at the upgrade. */
export interface SocketData {
  userId: string;
  after: string | undefined;
  connection?: Connection;
}

export interface Connection {
  readonly userId: string;
  readonly after: string | undefined;
  readonly socket: ServerWebSocket<SocketData>;
  /** replaying: journal and queued frames go out one by one, live events wait; live: subscribed to the user's topic. */
  phase: "replaying" | "live" | "closed";
  readonly merge: ReplayMerge;
  /** Wakes a paced send once the socket drained (or closed). */
  wake: (() => void) | undefined;
}

// A function, so TypeScript does not narrow `phase` across the await that may close the socket.
const isOpen = (connection: Connection) => connection.phase !== "closed";

/** The Bun topic of a user's live sockets: a frame published there reaches every tab of that user on this replica. */
export const userTopic = (userId: string) => `user:${userId}`;

export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_INTERNAL_ERROR = 1011;
export const CLOSE_TRY_AGAIN_LATER = 1013;

/** The open sockets of this replica, by user. */
export function createLocalConnections(limits: ReplayMergeLimits) {
  const byUser = new Map<string, Set<Connection>>();
  let server: Server<SocketData> | undefined;

  const connectionsOf = (userId: string) => [...(byUser.get(userId) ?? [])];

  return {
    attach(owner: Server<SocketData>) {
      server = owner;
    },

    open(socket: ServerWebSocket<SocketData>): Connection {
      const connection: Connection = {
        userId: socket.data.userId,
        after: socket.data.after,
        socket,
        phase: "replaying",
        merge: createReplayMerge(limits),
        wake: undefined,
      };
      socket.data.connection = connection;
      let connections = byUser.get(connection.userId);
      if (!connections) byUser.set(connection.userId, (connections = new Set()));
      connections.add(connection);
      return connection;
    },

    close(connection: Connection) {
      connection.phase = "closed";
      connection.wake?.();
      const connections = byUser.get(connection.userId);
      connections?.delete(connection);
      if (connections?.size === 0) byUser.delete(connection.userId);
    },

    /** Open connections of the user here, replaying or live. */
    count: (userId: string) => byUser.get(userId)?.size ?? 0,
    live: (userId: string) => connectionsOf(userId).filter((connection) => connection.phase === "live"),
    users: () => [...byUser.keys()],
    all: () => [...byUser.values()].flatMap((connections) => [...connections]),

    /** One event to every tab of the user: published to the live ones, held for those still replaying. */
    push(userId: string, event: EventJson) {
      for (const connection of connectionsOf(userId)) {
        if (connection.phase === "live") connection.merge.admit(event.id);
        else if (connection.phase === "replaying" && !connection.merge.hold(event)) {
          connection.socket.close(CLOSE_TRY_AGAIN_LATER, "too many events while replaying; reconnect with after");
        }
      }
      server?.publish(userTopic(userId), JSON.stringify(event));
    },

    /**
     * Sends one frame to one connection unless it had it already, and waits
     * while the socket is under backpressure, so a long replay never piles up
     * in memory. Resolves false once the connection is gone.
     */
    async send(connection: Connection, event: EventJson): Promise<boolean> {
      if (connection.phase === "closed") return false;
      if (!connection.merge.admit(event.id)) return true;
      const status = connection.socket.send(JSON.stringify(event));
      // 0: dropped, the socket is closing (e.g. past the backpressure limit).
      if (status === 0) return false;
      if (status === -1 && connection.socket.getBufferedAmount() > 0) {
        await new Promise<void>((resolve) => (connection.wake = resolve));
        connection.wake = undefined;
      }
      return isOpen(connection);
    },

    /** The oldest live event held back while the connection replays. */
    nextHeld(connection: Connection): EventJson | undefined {
      return connection.merge.takeHeld();
    },

    drained(connection: Connection) {
      connection.wake?.();
    },

    /** Called with no await since the last check of the hold: nothing can arrive in between and be missed. */
    goLive(connection: Connection) {
      connection.socket.subscribe(userTopic(connection.userId));
      connection.phase = "live";
    },
  };
}

export type LocalConnections = ReturnType<typeof createLocalConnections>;
