/**
 * What the WebSocket handshake on /ws carries: the bearer token (query
 * `token`, or the subprotocol `bearer.<jwt>` next to `todo.v1`, since a
 * browser cannot set an Authorization header on a WebSocket) and the
 * subprotocol the server must answer with.
 */
export const SUBPROTOCOL = "todo.v1";
const BEARER_PREFIX = "bearer.";

export type HandshakeCredentials =
  | {
      ok: true;
      token: string;
      /** Set when the client offered subprotocols: the one to answer with. */
      protocol: typeof SUBPROTOCOL | undefined;
      /** `?after=<event id>`: replay from there. */
      after: string | undefined;
    }
  | { ok: false; status: 400 | 401; code: string; message: string };

export function readHandshake(request: Request): HandshakeCredentials {
  const url = new URL(request.url);
  const offered = (request.headers.get("sec-websocket-protocol") ?? "")
    .split(",")
    .map((protocol) => protocol.trim())
    .filter((protocol) => protocol !== "");
  // A browser fails the connection unless the server picks one of the offered protocols, and echoing the token is no option.
  if (offered.length > 0 && !offered.includes(SUBPROTOCOL)) {
    return { ok: false, status: 400, code: "unsupported_subprotocol", message: `offer the subprotocol ${SUBPROTOCOL}` };
  }
  const fromProtocol = offered.find((protocol) => protocol.startsWith(BEARER_PREFIX))?.slice(BEARER_PREFIX.length);
  const token = fromProtocol || url.searchParams.get("token") || undefined;
  if (!token) {
    return { ok: false, status: 401, code: "unauthorized", message: "missing token (query token or subprotocol bearer.<jwt>)" };
  }
  const after = url.searchParams.get("after") || undefined;
  return { ok: true, token, protocol: offered.length > 0 ? SUBPROTOCOL : undefined, after };
}
