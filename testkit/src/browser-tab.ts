import { waitFor, type Truthy } from "./wait-for.ts";

/** A frame as the websocket service sends it: one CloudEvent, JSON. */
export interface Frame {
  id: string;
  type: string;
  source: string;
  subject?: string;
  time?: string;
  data: Record<string, unknown> & {
    userId?: string;
    taskId?: string;
    reminderId?: string;
    reason?: string;
    task?: { id: string; title: string; version: number };
  };
  /** When this client received it (Date.now()), for latency measurements. */
  receivedAt: number;
}

export interface BrowserTab {
  /** Every frame received so far, in arrival order. */
  frames: Frame[];
  /** The protocol the server chose during the handshake ("" for none). */
  protocol(): string;
  /** Waits (with a deadline) until some frame satisfies `match`, and returns it. */
  nextFrame(match: (frame: Frame) => boolean, message: string, timeoutMs?: number): Promise<Frame>;
  /** Waits until the condition over all frames holds. */
  until<T>(condition: (frames: Frame[]) => T, message: string, timeoutMs?: number): Promise<Truthy<T>>;
  /** Closes from the client side and waits until the socket is closed. */
  close(): Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
}

export type TabAuth = { token: string; via?: "query" | "protocol"; after?: string };

/**
 * A real WebSocket client on /ws, authenticated like the web page does it
 * (query token, or the `bearer.<jwt>` subprotocol). Resolves once open;
 * rejects when the handshake is refused.
 */
export async function openTab(baseUrl: string, auth: TabAuth, openTabs?: Set<BrowserTab>): Promise<BrowserTab> {
  const url = new URL("/ws", baseUrl.replace(/^http/, "ws"));
  if (auth.via !== "protocol") url.searchParams.set("token", auth.token);
  if (auth.after !== undefined) url.searchParams.set("after", auth.after);
  const socket =
    auth.via === "protocol" ? new WebSocket(url, ["todo.v1", `bearer.${auth.token}`]) : new WebSocket(url);

  const frames: Frame[] = [];
  const problems: string[] = [];
  socket.addEventListener("message", (message) => {
    try {
      frames.push({ ...JSON.parse(String(message.data)), receivedAt: Date.now() });
    } catch {
      problems.push(`a frame that is not JSON: ${String(message.data).slice(0, 200)}`);
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.addEventListener("close", (event) => resolve({ code: event.code, reason: event.reason })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener("error", () => reject(new Error(`WebSocket handshake to ${url.pathname} failed`)), { once: true });
  });

  const describe = () =>
    [...problems, `${frames.length} frames: ${frames.map((f) => `${f.type}(${f.data.task?.title ?? f.data.taskId ?? ""})`).join(", ")}`].join("\n");
  const tab: BrowserTab = {
    frames,
    protocol: () => socket.protocol,
    async nextFrame(match, message, timeoutMs = 5000) {
      return await waitFor(() => frames.find(match), { message, timeoutMs, describe });
    },
    async until(condition, message, timeoutMs = 5000) {
      return await waitFor(() => {
        if (problems.length > 0) throw new Error(problems.join("\n"));
        return condition(frames);
      }, { message, timeoutMs, describe });
    },
    async close() {
      if (socket.readyState !== WebSocket.CLOSED) socket.close(1000, "tab closed");
      await closed;
      openTabs?.delete(tab);
    },
    closed,
  };
  openTabs?.add(tab);
  return tab;
}

/** Closes every tab still open (afterEach), so no socket outlives its test. */
export async function closeAll(openTabs: Set<BrowserTab>): Promise<void> {
  await Promise.all([...openTabs].map((tab) => tab.close()));
}

/** Frames about one task, in arrival order. */
export const aboutTask = (frames: Frame[], taskId: string) =>
  frames.filter((frame) => frame.subject === taskId || frame.data.task?.id === taskId || frame.data.taskId === taskId);

/** A raw WebSocket handshake to /ws, to read how the server answers one it refuses (no upgrade happens). */
export async function handshakeStatus(baseUrl: string, query: string, headers: Record<string, string> = {}): Promise<Response> {
  return await fetch(`${baseUrl}/ws${query}`, {
    headers: {
      upgrade: "websocket",
      connection: "Upgrade",
      "sec-websocket-key": btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16)))),
      "sec-websocket-version": "13",
      ...headers,
    },
  });
}
