/** Test-only: a browser tab on /ws, as real as Bun's WebSocket client gets. */
import { waitFor, type Truthy } from "@todo/common/testing";

export interface Frame {
  id: string;
  type: string;
  source: string;
  subject?: string;
  time?: string;
  data: { userId?: string; taskId?: string; reminderId?: string; reason?: string; task?: { id: string; title: string; version: number } } & Record<
    string,
    unknown
  >;
}

export interface Tab {
  frames: Frame[];
  protocol: string;
  until<T>(condition: (frames: Frame[]) => T, message: string, timeoutMs?: number): Promise<Truthy<T>>;
  close(): Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
}

export interface TabOptions {
  token: string;
  via?: "query" | "protocol";
  after?: string;
}

/** Opens a tab and resolves once the socket is open; tabs are added to `open` so afterEach can close them. */
export async function openTab(baseUrl: string, options: TabOptions, open: Set<Tab>): Promise<Tab> {
  const url = new URL("/ws", baseUrl.replace(/^http/, "ws"));
  if (options.via !== "protocol") url.searchParams.set("token", options.token);
  if (options.after !== undefined) url.searchParams.set("after", options.after);
  const socket = options.via === "protocol" ? new WebSocket(url, ["todo.v1", `bearer.${options.token}`]) : new WebSocket(url);
  const frames: Frame[] = [];
  socket.addEventListener("message", (message) => frames.push(JSON.parse(String(message.data)) as Frame));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.addEventListener("close", (event) => resolve({ code: event.code, reason: event.reason })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener("error", () => reject(new Error("WebSocket handshake failed")), { once: true });
  });
  const describe = () => `${frames.length} frames: ${frames.map((frame) => frame.type.replace(/^todo\./, "")).join(", ")}`;
  const tab: Tab = {
    frames,
    protocol: socket.protocol,
    until: (condition, message, timeoutMs = 5000) => waitFor(() => condition(frames), { message, timeoutMs, describe }),
    async close() {
      if (socket.readyState !== WebSocket.CLOSED) socket.close(1000, "tab closed");
      await closed;
      open.delete(tab);
    },
    closed,
  };
  open.add(tab);
  return tab;
}

export async function closeTabs(open: Set<Tab>): Promise<void> {
  await Promise.all([...open].map((tab) => tab.close()));
}

/** The status a WebSocket handshake on /ws gets, without upgrading (a browser only sees "failed"). */
export async function handshakeStatus(baseUrl: string, query: string, headers: Record<string, string> = {}): Promise<Response> {
  return await fetch(`${baseUrl}/ws${query}`, {
    headers: {
      upgrade: "websocket",
      connection: "Upgrade",
      "sec-websocket-key": btoa(crypto.randomUUID().slice(0, 16)),
      "sec-websocket-version": "13",
      ...headers,
    },
  });
}
