/**
 * A steady stream of task changes from several users, as people would make
 * them: create, update, complete, delete, recurring tasks whose completion
 * asks for the next occurrence, and reminders a few seconds ahead. It keeps
 * going through outages (a failed request is retried later, as a client
 * would) and remembers what the server confirmed.
 */
import type { Task } from "@todo/common";
import type { ApiClient, TestUser } from "../../e2e/harness/api-client.ts";

export interface ConfirmedReminder {
  user: TestUser;
  taskId: string;
  remindAt: string;
}

export interface ChangeStream {
  /** Requests the server answered with success. */
  readonly confirmed: () => number;
  /** Requests that failed (connection refused or 5xx during a fault). */
  readonly failed: () => number;
  /** Reminder tasks the server confirmed; the stream never touches them again, so each must fire once. */
  readonly reminders: ConfirmedReminder[];
  /** Series ids of the recurring tasks created. */
  readonly series: Set<string>;
  stop(): Promise<void>;
}

const REMINDER_LEAD_MS = 3_000;
/**
 * Pause between one user's rounds (a round is 1-7 changes): the three users
 * make 50-65 changes a second together (faults.stack.ts prints the rate of
 * each run). Before the websocket journal was split into an
 * index and one item per event (services/websocket/README.md) the websocket
 * service handled only ~8 events/s here and this pause had to be 1.5 s.
 */
const PACE_MS = 150;

export function startChangeStream(api: ApiClient, users: TestUser[]): ChangeStream {
  let running = true;
  let confirmed = 0;
  let failed = 0;
  const reminders: ConfirmedReminder[] = [];
  const series = new Set<string>();

  async function attempt<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await call();
      confirmed++;
      return result;
    } catch {
      failed++;
      return undefined;
    }
  }

  async function oneRound(user: TestUser, round: number): Promise<void> {
    const task = await attempt(() => api.createTask(user, { title: `stream ${round}` }));
    if (task) {
      await attempt(() => api.updateTask(user, task.id, { title: `stream ${round} (edited)` }));
      if (round % 3 !== 0) await attempt(() => api.completeTask(user, task.id));
      if (round % 2 === 0) await attempt(() => api.deleteTask(user, task.id));
    }
    if (round % 4 === 0) {
      const remindAt = new Date(Date.now() + REMINDER_LEAD_MS).toISOString();
      const reminderTask = await attempt(() => api.createTask(user, { title: `remind ${round}`, remindAt }));
      if (reminderTask?.remindAt) reminders.push({ user, taskId: reminderTask.id, remindAt: reminderTask.remindAt });
    }
    if (round % 5 === 0) {
      const dueAt = new Date(Date.UTC(2031, 0, 1 + (round % 28), 9)).toISOString();
      const anchor: Task | undefined = await attempt(() => api.createTask(user, { title: `series ${round}`, dueAt, recurrence: "FREQ=DAILY;COUNT=3" }));
      if (anchor?.seriesId) {
        series.add(anchor.seriesId);
        await attempt(() => api.completeTask(user, anchor.id));
      }
    }
  }

  const loops = users.map(async (user) => {
    for (let round = 1; running; round++) {
      await oneRound(user, round);
      await Bun.sleep(PACE_MS);
    }
  });

  return {
    confirmed: () => confirmed,
    failed: () => failed,
    reminders,
    series,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
