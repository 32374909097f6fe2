import type { Server, WebSocketHandler } from "bun";

/**
 * Bun's native WebSockets need the Bun.serve that owns the port: the
 * websocket service hands its gateway to whoever serves (its own main.ts, or
 * the one port of `bun start`) through this interface.
 */
export interface WebSocketGateway<Data = any> {
  /** The server that owns the sockets (for server.publish to topics). Called once, before traffic. */
  attach(server: Server<Data>): void;
  /** Closes every socket (1001 going away): the host calls it before stopping the server, which waits for open sockets. */
  close(): void;
  /**
   * "upgraded" when the request became a WebSocket (the caller returns nothing),
   * a Response when it was a handshake this gateway refuses (e.g. 401),
   * undefined when the request is not for it.
   */
  handle(request: Request, server: Server<Data>): Promise<"upgraded" | Response | undefined>;
  websocket: WebSocketHandler<Data>;
}

const key = "websocketGateway";

/** The gateway an app exposes with `.decorate("websocketGateway", gateway)`, if any. */
export function gatewayOf(app: { decorator?: Record<string, unknown> }): WebSocketGateway | undefined {
  return app.decorator?.[key] as WebSocketGateway | undefined;
}

export const GATEWAY_DECORATOR = key;
