import { afterEach, describe, expect, test } from "bun:test";
import { createMemoryLogger, createTokenService } from "@todo/common";
import { waitFor } from "@todo/testkit";
import { connect, type Socket } from "node:net";
import type { EventJson } from "./event-json.ts";
import { createGateway } from "./gateway.ts";
import type { LiveEvents } from "./live-events.ts";
import { createLocalConnections, type LocalConnections } from "./local-connections.ts";
import type { Presence } from "./presence.ts";

/**
 * Slow consumers, against the gateway alone (its state and events stubbed):
 * a tab that stops reading must be dropped, never buffered without bound.
 */
const secret = "s".repeat(48);
const tokens = createTokenService(secret);
const userId = "0190f3a0-0000-7000-8000-0000000000aa";
const bigEvent = (id: string): EventJson => ({ id, type: "todo.task.updated.v1", data: { userId, padding: "x".repeat(256 * 1024) } });

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function serveGateway(options: { journal?: EventJson[]; maxHeld?: number }): { port: number; connections: LocalConnections } {
  const connections = createLocalConnections({ maxHeld: options.maxHeld ?? 1000, maxRemembered: 1000 });
  const gateway = createGateway({
    tokens,
    connections,
    journal: { replay: async () => ({ kind: "events", events: options.journal ?? [] }) },
    live: { deliverPending: async () => {} } as unknown as LiveEvents,
    presence: { record: async () => {}, recordQuietly: async () => {} } as unknown as Presence,
    socket: { idleTimeoutSeconds: 30, backpressureLimitBytes: 64 * 1024 },
    now: () => new Date(),
    logger: createMemoryLogger(),
  });
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: async (request, bunServer) => {
      const upgrade = await gateway.handle(request, bunServer);
      return upgrade === "upgraded" ? undefined : (upgrade ?? new Response("not found", { status: 404 }));
    },
    websocket: gateway.websocket,
  });
  gateway.attach(server);
  cleanups.push(() => server.stop(true));
  return { port: server.port!, connections };
}

/** A client that completes the handshake and then never reads again, like a frozen tab. */
async function frozenTab(port: number, query: string): Promise<Socket> {
  const socket = connect(port, "127.0.0.1");
  cleanups.push(() => socket.destroy());
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  const answered = new Promise<string>((resolve) => socket.once("data", (chunk) => resolve(String(chunk))));
  socket.write(
    [
      `GET /ws${query} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      "Upgrade: websocket",
      "Connection: Upgrade",
      `Sec-WebSocket-Key: ${btoa("0123456789abcdef")}`,
      "Sec-WebSocket-Version: 13",
      "",
      "",
    ].join("\r\n"),
  );
  expect(await answered).toStartWith("HTTP/1.1 101");
  socket.pause();
  return socket;
}

describe("slow consumers", () => {
  test("a live tab that stops reading is disconnected once its backlog passes the limit", async () => {
    const { port, connections } = serveGateway({});
    await frozenTab(port, `?token=${await tokens.issue({ id: userId, email: "a@example.test" })}`);
    await waitFor(() => connections.live(userId).length === 1, { message: "the tab to go live" });

    let pushed = 0;
    await waitFor(
      () => {
        connections.push(userId, bigEvent(`e${pushed++}`));
        return connections.count(userId) === 0;
      },
      { message: "the frozen tab to be closed", intervalMs: 1, describe: () => `${pushed} frames of 256 KiB pushed` },
    );
    expect(pushed).toBeLessThan(400);
  });

  test("a tab too slow to take its replay is closed instead of holding live events without bound", async () => {
    const journal = Array.from({ length: 200 }, (_, i) => bigEvent(`j${i}`));
    const { port, connections } = serveGateway({ journal, maxHeld: 10 });
    await frozenTab(port, `?token=${await tokens.issue({ id: userId, email: "a@example.test" })}&after=j0`);
    await waitFor(() => connections.count(userId) === 1, { message: "the tab to open" });

    for (let i = 0; i < 11; i++) connections.push(userId, bigEvent(`live${i}`));
    await waitFor(() => connections.count(userId) === 0, { message: "the replaying tab to be closed" });
    expect(connections.live(userId)).toEqual([]);
  });
});
