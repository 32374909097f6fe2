import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { clientAddressOf, withPeerAddress } from "./client-address.ts";
import { serveApp } from "./run-service.ts";
import { createMemoryLogger } from "./logger.ts";

const headers = (xff?: string) => new Headers(xff === undefined ? {} : { "x-forwarded-for": xff });

describe("the client's address", () => {
  test("is the entry our own server appended: whatever the client wrote before it is ignored", () => {
    const request = withPeerAddress(new Request("http://localhost/", { headers: { "x-forwarded-for": "10.9.8.7" } }), "203.0.113.5");
    expect(request.headers.get("x-forwarded-for")).toBe("10.9.8.7, 203.0.113.5");
    expect(clientAddressOf(request.headers)).toBe("203.0.113.5");
  });

  test("behind one trusted proxy it is the entry that proxy appended", () => {
    expect(clientAddressOf(headers("6.6.6.6, 198.51.100.20, 10.0.0.3"), 1)).toBe("198.51.100.20");
    // Reached without the proxy (a port-forward): the peer is all there is.
    expect(clientAddressOf(headers("10.0.0.3"), 1)).toBe("10.0.0.3");
  });

  test("without any address, or with nonsense, every such request shares one budget", () => {
    expect(clientAddressOf(headers())).toBe("unknown");
    expect(clientAddressOf(headers(" , ,"))).toBe("unknown");
    expect(clientAddressOf(headers("x".repeat(100)))).toBe("unknown");
    expect(clientAddressOf(headers("2001:DB8::1"))).toBe("2001:db8::1");
  });

  test("serveApp hands the app the TCP peer, so a forged X-Forwarded-For buys no fresh budget", async () => {
    const app = new Elysia().get("/whoami", ({ request }) => clientAddressOf(request.headers));
    const server = serveApp(app, { port: 0, hostname: "127.0.0.1", logger: createMemoryLogger() });
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/whoami`, { headers: { "x-forwarded-for": "192.0.2.1" } });
      expect(await response.text()).toBe("127.0.0.1");
    } finally {
      await server.stop(true);
    }
  });
});
