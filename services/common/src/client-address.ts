/**
 * The address a request came from, for per-client limits (sign-in throttling).
 *
 * The server that accepts the TCP connection appends the peer's address to
 * `X-Forwarded-For` (withPeerAddress), as a reverse proxy does; the app then
 * counts `trustedProxyHops` entries from the right: 0 when clients connect
 * straight to us (`bun start`), 1 behind one proxy that appends its own peer
 * (the Ingress). Entries further left are the client's to invent, so they
 * are never used.
 */
const HEADER = "x-forwarded-for";

/** The request with `address` (the TCP peer) appended to X-Forwarded-For; unchanged when the peer is unknown. */
export function withPeerAddress(request: Request, address: string | undefined): Request {
  if (!address) return request;
  const headers = new Headers(request.headers);
  const prior = headers.get(HEADER);
  headers.set(HEADER, prior ? `${prior}, ${address}` : address);
  return new Request(request, { headers });
}

/** The client's address as far as we can trust it, or "unknown" (which then shares one budget). */
export function clientAddressOf(headers: Headers, trustedProxyHops = 0): string {
  const hops = (headers.get(HEADER) ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  const address = hops[hops.length - 1 - trustedProxyHops] ?? hops[0];
  return address && address.length <= 64 ? address.toLowerCase() : "unknown";
}
