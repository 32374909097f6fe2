import {
  buildEvent,
  errorBody,
  SYNC_RESET,
  type Logger,
  type TokenService,
  type WebSocketGateway,
} from "@todo/common";
import { toEventJson, type EventJson } from "./event-json.ts";
import { readHandshake } from "./handshake.ts";
import type { JournalStore } from "./journal-store.ts";
import type { LiveEvents } from "./live-events.ts";
import { CLOSE_GOING_AWAY, CLOSE_INTERNAL_ERROR, type Connection, type LocalConnections, type SocketData } from "./local-connections.ts";
import type { Presence } from "./presence.ts";

export interface SocketTuning {
  /** Seconds without traffic before Bun pings; a peer that does not answer is dropped. */
  idleTimeoutSeconds: number;
  /** Bytes queued on one socket past which it is closed as a slow consumer. */
  backpressureLimitBytes: number;
}

export interface GatewayDeps {
  tokens: TokenService;
  connections: LocalConnections;
  journal: Pick<JournalStore, "replay">;
  live: LiveEvents;
  presence: Presence;
  socket: SocketTuning;
  now: () => Date;
  logger: Logger;
}

export const WS_PATH = "/ws";

/** GET /ws: the JWT is checked before the upgrade; each socket then gets its replay, its queued reminders and live events. */
export function createGateway(deps: GatewayDeps): WebSocketGateway<SocketData> {
  const { connections, logger } = deps;

  const refuse = (status: number, code: string, message: string) =>
    Response.json(errorBody(code, message), {
      status,
      headers: status === 401 ? { "www-authenticate": 'Bearer realm="todo"' } : {},
    });

  function syncReset(userId: string, reason: string): EventJson {
    return toEventJson(buildEvent(SYNC_RESET, { source: "websocket", data: { userId, reason }, time: deps.now() }));
  }

  /** Registry, replay (or reset), the events held meanwhile, then live, then queued reminders. */
  async function start(connection: Connection) {
    const { userId } = connection;
    try {
      await deps.presence.record(userId);
      if (connection.after !== undefined) {
        const replay = await deps.journal.replay(userId, connection.after);
        const frames = replay.kind === "reset" ? [syncReset(userId, replay.reason)] : replay.events;
        for (const event of frames) if (!(await connections.send(connection, event))) return;
      }
      for (let event = connections.nextHeld(connection); event; event = connections.nextHeld(connection)) {
        if (!(await connections.send(connection, event))) return;
      }
      if (connection.phase !== "replaying") return;
      connections.goLive(connection);
      await deps.live.deliverPending(userId);
    } catch (error) {
      logger.error("cannot start the event stream of a connection", { userId, error });
      connection.socket.close(CLOSE_INTERNAL_ERROR, "cannot load events; reconnect");
    }
  }

  return {
    attach(server) {
      connections.attach(server);
    },

    close() {
      for (const connection of connections.all()) connection.socket.close(CLOSE_GOING_AWAY, "server shutting down");
    },

    async handle(request, server) {
      if (new URL(request.url).pathname !== WS_PATH) return undefined;
      const handshake = readHandshake(request);
      if (!handshake.ok) return refuse(handshake.status, handshake.code, handshake.message);
      let verified: { userId: string } | undefined;
      try {
        verified = await deps.tokens.verify(handshake.token);
      } catch (error) {
        // The account could not be checked (chat-api unreachable): the tab retries, as after any failed connect.
        logger.warn("cannot check the account of a connecting tab", { error });
        return refuse(503, "accounts_unavailable", "cannot check the account of this token right now; retry");
      }
      if (!verified) return refuse(401, "unauthorized", "invalid or expired token");
      const data: SocketData = { userId: verified.userId, after: handshake.after };
      const upgraded = server.upgrade(request, {
        data,
        ...(handshake.protocol ? { headers: { "Sec-WebSocket-Protocol": handshake.protocol } } : {}),
      });
      return upgraded ? "upgraded" : refuse(426, "upgrade_required", "GET /ws takes a WebSocket handshake");
    },

    websocket: {
      open(socket) {
        logger.debug("tab connected", { userId: socket.data.userId, replay: socket.data.after !== undefined });
        void start(connections.open(socket));
      },
      // Tabs only listen; what they send is ignored.
      message() {},
      drain(socket) {
        if (socket.data.connection) connections.drained(socket.data.connection);
      },
      close(socket, code) {
        const connection = socket.data.connection;
        if (!connection) return;
        logger.debug("tab disconnected", { userId: connection.userId, code });
        connections.close(connection);
        void deps.presence.recordQuietly(connection.userId);
      },
      sendPings: true,
      idleTimeout: deps.socket.idleTimeoutSeconds,
      backpressureLimit: deps.socket.backpressureLimitBytes,
      closeOnBackpressureLimit: true,
      maxPayloadLength: 4 * 1024,
    },
  };
}
