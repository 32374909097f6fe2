import { signal } from "@preact/signals";
import type { Task } from "./api.ts";

/** A CloudEvent frame from /ws (see services/websocket/README.md). */
export interface LiveEvent {
  id: string;
  type: string;
  data: { task?: Task; taskId?: string; remindAt?: string; reminderId?: string };
}

export type ConnectionState = "connecting" | "online" | "offline";
export const connection = signal<ConnectionState>("offline");

const SYNC_RESET = "todo.sync.reset.v1";

/** Wait before reconnect attempt `attempt` (0-based): 0.5 s doubling up to 15 s, with jitter so tabs do not stampede. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.75 + random() * 0.5));
}

/** The /ws URL on this origin; `after` asks for the events this tab missed. */
export function liveUrl(origin: string, token: string, after: string | undefined): string {
  const url = new URL("/ws", origin.replace(/^http/, "ws"));
  url.searchParams.set("token", token);
  if (after) url.searchParams.set("after", after);
  return url.toString();
}

/**
 * Which id to resume from after a frame: catalogue events move it on; a
 * sync reset is never in the journal, so it must not (see the protocol).
 */
export function nextResumeId(current: string | undefined, event: LiveEvent): string | undefined {
  return event.type === SYNC_RESET ? current : event.id;
}

export interface LiveHandlers {
  /** Any task or reminder event, live or replayed. */
  onEvent(event: LiveEvent): void;
  /** The tab missed too much (or just connected): refetch through REST. */
  onResync(): void;
}

/**
 * Keeps one WebSocket to /ws open for a token: reconnects with backoff and
 * resumes from the last event applied, so nothing done meanwhile (another tab,
 * the chat, the recurring service) is lost. Returns a function that closes it.
 */
export function connectLive(token: string, handlers: LiveHandlers): () => void {
  let resumeFrom: string | undefined;
  let attempt = 0;
  let socket: WebSocket | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const open = () => {
    connection.value = "connecting";
    socket = new WebSocket(liveUrl(location.origin, token, resumeFrom));
    socket.onopen = () => {
      attempt = 0;
      connection.value = "online";
      // A first connection has nothing to replay from: the board loads through REST.
      if (!resumeFrom) handlers.onResync();
    };
    socket.onmessage = (message) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(String(message.data)) as LiveEvent;
      } catch {
        return; // Not a CloudEvent frame: nothing to apply.
      }
      resumeFrom = nextResumeId(resumeFrom, event);
      if (event.type === SYNC_RESET) handlers.onResync();
      else handlers.onEvent(event);
    };
    socket.onclose = () => {
      socket = undefined;
      if (closed) return;
      connection.value = "offline";
      retry = setTimeout(open, reconnectDelay(attempt++));
    };
  };
  open();
  return () => {
    closed = true;
    clearTimeout(retry);
    socket?.close(1000);
    connection.value = "offline";
  };
}
