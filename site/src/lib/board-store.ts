import { effect, signal } from "@preact/signals";
import { api, ApiError, type Task, type TaskFields } from "./api.ts";
import { DEFAULT_FILTERS, taskQuery, type BoardFilters } from "./board-query.ts";
import { connectLive, type LiveEvent } from "./live.ts";
import { session } from "./session.ts";
import { showToast } from "./toasts.ts";

/**
 * The board's shared state: the islands (board, chat, session bar, toasts)
 * are separate Preact roots on one page and meet here through signals.
 */
export const filters = signal<BoardFilters>({ ...DEFAULT_FILTERS });
export const tasks = signal<Task[]>([]);
export const loading = signal(false);
export const loadError = signal<string | null>(null);
/** Ids hidden while their delete can still be undone. */
export const pendingDeletes = signal<ReadonlySet<string>>(new Set());

const REMINDER_TRIGGERED = "todo.reminder.triggered.v1";
const UNDO_MS = 6000;

let generation = 0;
export async function refresh(): Promise<void> {
  if (!session.value) return;
  const mine = ++generation;
  loading.value = true;
  try {
    const page = await api<{ items: Task[] }>("GET", `/api/tasks?${taskQuery(filters.value)}`);
    // Only the latest request wins: a slow answer for old filters must not overwrite a newer one.
    if (mine !== generation) return;
    tasks.value = page.items;
    loadError.value = null;
  } catch (error) {
    if (mine === generation) loadError.value = (error as Error).message;
  } finally {
    if (mine === generation) loading.value = false;
  }
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined;
/** A burst of events (a replay, "delete everything") becomes one refetch. */
function refreshSoon(): void {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refresh(), 80);
}

export function setFilters(change: Partial<BoardFilters>): void {
  filters.value = { ...filters.value, ...change };
  void refresh();
}

export async function createTask(fields: TaskFields): Promise<Task> {
  const task = await api<Task>("POST", "/api/tasks", fields);
  void refresh();
  return task;
}

export async function updateTask(id: string, fields: TaskFields): Promise<Task> {
  const task = await api<Task>("PATCH", `/api/tasks/${id}`, fields);
  void refresh();
  return task;
}

/** Complete or reopen, with an undo that does the opposite. */
export async function setDone(task: Task, done: boolean): Promise<void> {
  await api<Task>("POST", `/api/tasks/${task.id}/${done ? "complete" : "reopen"}`);
  void refresh();
  showToast({
    text: done ? `Completed “${task.title}”` : `Reopened “${task.title}”`,
    action: { label: "Undo", run: () => void setStatusQuietly(task.id, !done) },
  });
}

async function setStatusQuietly(id: string, done: boolean): Promise<void> {
  await api<Task>("POST", `/api/tasks/${id}/${done ? "complete" : "reopen"}`).catch(reportError);
  void refresh();
}

const deleteTimers = new Map<string, ReturnType<typeof setTimeout>>();

/** Hides the task at once and deletes it when the undo window closes (or the page goes away). */
export function deleteWithUndo(task: Task): void {
  pendingDeletes.value = new Set([...pendingDeletes.value, task.id]);
  deleteTimers.set(task.id, setTimeout(() => void commitDelete(task.id), UNDO_MS));
  showToast({
    text: `Deleted “${task.title}”`,
    action: {
      label: "Undo",
      run: () => {
        clearTimeout(deleteTimers.get(task.id));
        deleteTimers.delete(task.id);
        unhide(task.id);
      },
    },
    timeoutMs: UNDO_MS,
  });
}

async function commitDelete(id: string, keepalive = false): Promise<void> {
  deleteTimers.delete(id);
  const token = session.value?.token;
  if (!token) return;
  if (keepalive) {
    void fetch(`/api/tasks/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${token}` }, keepalive: true });
    return;
  }
  try {
    await api("DELETE", `/api/tasks/${id}`);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) reportError(error);
  }
  unhide(id);
  void refresh();
}

function unhide(id: string): void {
  const next = new Set(pendingDeletes.value);
  next.delete(id);
  pendingDeletes.value = next;
}

export function reportError(error: unknown): void {
  showToast({ text: (error as Error).message, kind: "error" });
}

/** A reminder fired: a toast in the page and, with permission, a system notification. */
function remind(event: LiveEvent): void {
  const title = event.data.task?.title ?? "a task";
  showToast({ text: `Reminder: ${title}`, kind: "reminder", timeoutMs: 15_000 });
  if (typeof Notification !== "undefined" && Notification.permission === "granted") {
    new Notification("Todo reminder", { body: title, tag: event.data.reminderId });
  }
}

let started = false;
/** Connects the live channel whenever someone is signed in; idempotent (every island may call it). */
export function startBoardSync(): void {
  if (started || typeof window === "undefined") return;
  started = true;
  let stop: (() => void) | undefined;
  effect(() => {
    const token = session.value?.token;
    stop?.();
    stop = undefined;
    if (!token) {
      tasks.value = [];
      return;
    }
    stop = connectLive(token, {
      onEvent(event) {
        if (event.type === REMINDER_TRIGGERED) remind(event);
        else if (event.type.startsWith("todo.task.")) refreshSoon();
      },
      onResync: () => void refresh(),
    });
  });
  addEventListener("pagehide", () => {
    for (const [id, timer] of deleteTimers) {
      clearTimeout(timer);
      void commitDelete(id, true);
    }
  });
}
