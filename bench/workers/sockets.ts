/**
 * Many browser tabs in one process: WebSocket clients on /ws, one per user
 * (or more), recording every frame they receive and when.
 */
import { nowMs } from "../lib/clock.ts";
import type { BenchUser } from "../lib/users.ts";
import { serveWorker } from "../lib/worker-rpc.ts";

export interface SocketsConfig {
  wsUrl: string;
  users: BenchUser[];
  tabsPerUser?: number;
}

export interface SocketsSnapshot {
  open: number;
  /** Sockets the server closed (or that failed) since connect. */
  closed: number;
  framesByType: Record<string, number>;
  taskFrames: number;
  /** Task-event frames whose key a tab had already seen. */
  duplicateTaskFrames: number;
  /** [eventKey, firstReceivedAtMs] of task events since the last reset. */
  keys?: [string, number][];
  /** Triggered reminders since the last reset. */
  reminders?: ReminderFrames[];
}

/** One triggered reminder as the tabs saw it: a receive time per frame, and repeats on the same tab. */
export interface ReminderFrames {
  reminderId: string;
  remindAt: string;
  firedAt: string;
  receivedAt: number[];
  repeats: number;
}

interface Frame {
  type?: string;
  subject?: string;
  data?: { version?: number; reminderId?: string; remindAt?: string; firedAt?: string };
}

const { progress } = serveWorker<SocketsConfig>((config) => {
  const sockets: WebSocket[] = [];
  let closed = 0;
  let framesByType: Record<string, number> = {};
  let taskFrames = 0;
  let duplicateTaskFrames = 0;
  let keys = new Map<string, number>();
  let reminders = new Map<string, ReminderFrames>();
  setInterval(() => progress({ taskFrames, open: sockets.length - closed }), 500).unref();

  function onFrame(raw: string, seen: Set<string>) {
    const receivedAt = nowMs();
    const frame = JSON.parse(raw) as Frame;
    const type = frame.type ?? "unknown";
    framesByType[type] = (framesByType[type] ?? 0) + 1;
    if (type.startsWith("todo.task.") && frame.subject) {
      taskFrames += 1;
      const key = type === "todo.task.deleted.v1" ? `${frame.subject}:deleted` : `${frame.subject}:${frame.data?.version}`;
      if (seen.has(key)) duplicateTaskFrames += 1;
      seen.add(key);
      if (!keys.has(key)) keys.set(key, receivedAt);
    } else if (type === "todo.reminder.triggered.v1" && frame.data?.reminderId) {
      const { reminderId, remindAt = "", firedAt = "" } = frame.data;
      const entry = reminders.get(reminderId) ?? { reminderId, remindAt, firedAt, receivedAt: [], repeats: 0 };
      entry.receivedAt.push(receivedAt);
      if (seen.has(`reminder:${reminderId}`)) entry.repeats += 1;
      seen.add(`reminder:${reminderId}`);
      reminders.set(reminderId, entry);
    }
  }

  function open(user: BenchUser): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = new WebSocket(`${config.wsUrl}?token=${encodeURIComponent(user.token)}`);
      // One tab's own memory of keys: a duplicate is the same event twice on the same tab.
      const seen = new Set<string>();
      let settled = false;
      socket.onopen = () => {
        settled = true;
        sockets.push(socket);
        resolve(true);
      };
      socket.onmessage = (message) => onFrame(String(message.data), seen);
      socket.onclose = () => {
        if (settled) closed += 1;
        else resolve(false);
      };
    });
  }

  return {
    async connect(): Promise<{ connected: number; failed: number; ms: number }> {
      const started = nowMs();
      const tabs = config.users.flatMap((user) => Array.from({ length: config.tabsPerUser ?? 1 }, () => user));
      let connected = 0;
      let failed = 0;
      // A few dozen handshakes at a time, as tabs of many people would arrive.
      for (let index = 0; index < tabs.length; index += 50) {
        const outcomes = await Promise.all(tabs.slice(index, index + 50).map(open));
        for (const ok of outcomes) ok ? (connected += 1) : (failed += 1);
      }
      return { connected, failed, ms: nowMs() - started };
    },
    snapshot(args: { reset?: boolean; details?: boolean } = {}): SocketsSnapshot {
      const snapshot: SocketsSnapshot = {
        open: sockets.length - closed,
        closed,
        framesByType,
        taskFrames,
        duplicateTaskFrames,
        ...(args.details ? { keys: [...keys], reminders: [...reminders.values()] } : {}),
      };
      if (args.reset) {
        framesByType = {};
        taskFrames = 0;
        duplicateTaskFrames = 0;
        keys = new Map();
        reminders = new Map();
      }
      return snapshot;
    },
    close() {
      for (const socket of sockets) socket.close();
    },
  };
});
