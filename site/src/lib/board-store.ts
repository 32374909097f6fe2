import { computed, effect, signal } from "@preact/signals";
import { api, type Task, type TaskFields } from "./api.ts";
import { DEFAULT_FILTERS, groupTasks, inView, matchesFilters, readQuery, sortTasks, viewLabel, writeQuery, type BoardFilters, type View } from "./board-query.ts";
import { relativeWhen } from "./dates.ts";
import { describeFailure, isNetworkFailure } from "./errors.ts";
import { connectLive, connection, type LiveEvent } from "./live.ts";
import { showSystemReminder, snoozeOptions, startReminderWorker, type ReminderAction } from "./reminders.ts";
import { session } from "./session.ts";
import { beginFullLoad, clearStore, knownTasks, markUnsaved, replaceAll, setOverlay, snapshots, upsert } from "./task-store.ts";
import { showToast } from "./toasts.ts";

/**
 * The board's shared state: the islands (board, chat, session bar, toasts)
 * are separate Preact roots on one page and meet here through signals.
 */
export const view = signal<View>("today");
export const filters = signal<BoardFilters>({ ...DEFAULT_FILTERS });
export const loading = signal(false);
export const loadError = signal<string | null>(null);
/** The clock the views and overdue badges read; ticks so "Today" moves on at midnight without a reload. */
export const now = signal(new Date());
/** Ids hidden while their delete can still be undone. */
export const pendingDeletes = signal<ReadonlySet<string>>(new Set());

/** The open tasks of the current view before filters: what "clear filters" would show. */
export const viewTasks = computed(() =>
  knownTasks.value.filter((task) => !pendingDeletes.value.has(task.id) && inView(task, view.value, now.value)),
);
export const visibleTasks = computed(() =>
  sortTasks(
    viewTasks.value.filter((task) => matchesFilters(task, filters.value, now.value)),
    view.value,
    filters.value.sort,
  ),
);
export const visibleGroups = computed(() => groupTasks(visibleTasks.value, view.value, now.value));
/** Tags of open tasks, for the per-tag views. */
export const tagViews = computed(() =>
  [...new Set(knownTasks.value.filter((task) => task.status === "pending").flatMap((task) => task.tags))].sort(),
);

const REMINDER_TRIGGERED = "todo.reminder.triggered.v1";
const UNDO_MS = 6000;
const PAGE_SIZE = 200;

/** Shows a view and filters and records them in the URL: a new history entry for a view, a replaced one while typing filters. */
export function navigate(next: { view?: View; filters?: Partial<BoardFilters> }, mode: "push" | "replace" = "push"): void {
  if (next.view) view.value = next.view;
  if (next.filters) filters.value = { ...filters.value, ...next.filters };
  const url = `${location.pathname}${writeQuery(view.value, filters.value)}${location.hash}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) history[mode === "push" ? "pushState" : "replaceState"](null, "", url);
}

export const setFilters = (change: Partial<BoardFilters>) => navigate({ filters: change }, "replace");
export const clearFilters = () => navigate({ filters: { ...DEFAULT_FILTERS } }, "push");

function readLocation(): void {
  const state = readQuery(location.search);
  view.value = state.view;
  filters.value = state.filters;
}

let generation = 0;
/** Loads every task of the user (all pages); only the latest load wins. */
export async function loadAll(): Promise<void> {
  if (!session.value) return;
  const mine = ++generation;
  loading.value = true;
  beginFullLoad();
  try {
    const all: Task[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ status: "all", sort: "created", limit: String(PAGE_SIZE) });
      if (cursor) query.set("cursor", cursor);
      const page: { items: Task[]; nextCursor: string | null } = await api("GET", `/api/tasks?${query}`);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && mine === generation);
    if (mine !== generation) return;
    replaceAll(all);
    loadError.value = null;
  } catch (error) {
    if (mine === generation) loadError.value = describeFailure(error).text;
  } finally {
    if (mine === generation) loading.value = false;
  }
}

/** One change to a task through the API; `optimistic` shows at once and is dropped again if the API refuses. */
interface Change {
  taskId: string;
  title: string;
  method: string;
  path: string;
  body?: unknown;
  optimistic?: Partial<Task>;
}

/** Changes that could not reach the server, sent in order when it is back. */
const outbox: Change[] = [];
export const queuedCount = signal(0);

async function send(change: Change): Promise<Task | undefined> {
  if (change.optimistic) setOverlay(change.taskId, change.optimistic);
  // Behind anything still queued, so the server sees the user's changes in the order they were made.
  if (outbox.length > 0) {
    enqueue(change);
    return undefined;
  }
  try {
    return confirm(change, await api<Task | undefined>(change.method, change.path, change.body));
  } catch (error) {
    if (isNetworkFailure(error)) {
      enqueue(change);
      showToast({ text: "You're offline. The change is kept here and will be saved when the connection is back.", kind: "error" });
      return undefined;
    }
    rollBack(change);
    throw error;
  }
}

function confirm(change: Change, task: Task | undefined): Task | undefined {
  if (task) upsert(task);
  else if (change.method === "DELETE") removeLocally(change.taskId);
  if (!outbox.some((queued) => queued.taskId === change.taskId)) {
    setOverlay(change.taskId, undefined);
    markUnsaved(change.taskId, false);
  }
  return task;
}

function rollBack(change: Change): void {
  if (!outbox.some((queued) => queued.taskId === change.taskId)) setOverlay(change.taskId, undefined);
  if (change.method === "DELETE") unhide(change.taskId);
}

function enqueue(change: Change): void {
  outbox.push(change);
  queuedCount.value = outbox.length;
  markUnsaved(change.taskId, true);
}

let flushing = false;
/** Sends the queued changes in order; stops at the first that still cannot reach the server. A refused one is rolled back and said so. */
export async function flushOutbox(): Promise<void> {
  if (flushing) return;
  flushing = true;
  try {
    while (outbox.length > 0) {
      const change = outbox[0]!;
      try {
        const task = await api<Task | undefined>(change.method, change.path, change.body);
        outbox.shift();
        confirm(change, task);
      } catch (error) {
        if (isNetworkFailure(error)) return;
        outbox.shift();
        rollBack(change);
        markUnsaved(change.taskId, false);
        showToast({ text: `Not saved: “${change.title}”. ${describeFailure(error).text}`, kind: "error" });
      } finally {
        queuedCount.value = outbox.length;
      }
    }
  } finally {
    flushing = false;
  }
}

function removeLocally(id: string): void {
  const task = snapshots.value.get(id);
  if (task) upsert({ ...task, version: Number.MAX_SAFE_INTEGER, deletedAt: new Date().toISOString() });
  unhide(id);
}

export async function createTask(fields: TaskFields): Promise<Task> {
  const task = await api<Task>("POST", "/api/tasks", fields);
  upsert(task);
  // Added somewhere the current view does not show: say where it went, one click away.
  if (!inView(task, view.value, now.value)) {
    const home: View = inView(task, "today", now.value) ? "today" : inView(task, "upcoming", now.value) ? "upcoming" : "all";
    showToast({ text: `Added “${task.title}” to ${viewLabel(home)}`, action: { label: "Show", run: () => navigate({ view: home }) } });
  }
  return task;
}

/** Saves an edit; the editor waits for it, so a refusal shows next to its fields. */
export async function updateTask(task: Task, fields: TaskFields): Promise<Task | undefined> {
  return send({ taskId: task.id, title: task.title, method: "PATCH", path: `/api/tasks/${task.id}`, body: fields, optimistic: fields });
}

function statusChange(task: Task, done: boolean): Change {
  return {
    taskId: task.id,
    title: task.title,
    method: "POST",
    path: `/api/tasks/${task.id}/${done ? "complete" : "reopen"}`,
    optimistic: { status: done ? "completed" : "pending", completedAt: done ? new Date().toISOString() : null },
  };
}

/** Complete or reopen at once, with an undo that does the opposite; rolled back if the API refuses. */
export async function setDone(task: Task, done: boolean): Promise<void> {
  try {
    await send(statusChange(task, done));
  } catch (error) {
    reportError(error, `“${task.title}” was not ${done ? "completed" : "reopened"}.`);
    return;
  }
  showToast({
    text: done ? `Completed “${task.title}”` : `Reopened “${task.title}”`,
    action: { label: "Undo", run: () => void send(statusChange(task, !done)).catch((error) => reportError(error)) },
  });
}

/** Moves the reminder (snooze); the notification service reschedules it. */
export async function moveReminder(task: Task, remindAt: string): Promise<void> {
  await send({ taskId: task.id, title: task.title, method: "PATCH", path: `/api/tasks/${task.id}`, body: { remindAt }, optimistic: { remindAt } });
}

const deleteTimers = new Map<string, ReturnType<typeof setTimeout>>();

/** Hides the task at once and deletes it when the undo window closes (or the page goes away). */
export function deleteWithUndo(task: Task): void {
  pendingDeletes.value = new Set([...pendingDeletes.value, task.id]);
  deleteTimers.set(task.id, setTimeout(() => void commitDelete(task), UNDO_MS));
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

async function commitDelete(task: Task, keepalive = false): Promise<void> {
  deleteTimers.delete(task.id);
  const token = session.value?.token;
  if (!token) return;
  if (keepalive) {
    void fetch(`/api/tasks/${task.id}`, { method: "DELETE", headers: { authorization: `Bearer ${token}` }, keepalive: true });
    return;
  }
  try {
    await send({ taskId: task.id, title: task.title, method: "DELETE", path: `/api/tasks/${task.id}` });
  } catch (error) {
    // Already gone elsewhere is what the user wanted.
    if ((error as { status?: number }).status === 404) removeLocally(task.id);
    else reportError(error, `“${task.title}” was not deleted.`);
  }
}

function unhide(id: string): void {
  if (!pendingDeletes.value.has(id)) return;
  const next = new Set(pendingDeletes.value);
  next.delete(id);
  pendingDeletes.value = next;
}

export function reportError(error: unknown, lead = ""): void {
  showToast({ text: `${lead} ${describeFailure(error).text}`.trim(), kind: "error" });
}

/** A reminder fired: a toast with Done and Snooze and, with permission, a system notification with the same. */
function remind(event: LiveEvent): void {
  const taskId = event.data.taskId ?? event.data.task?.id;
  const task = (taskId && snapshots.value.get(taskId)) || event.data.task;
  if (!task) return;
  showToast({
    text: `Reminder: ${task.title}`,
    kind: "reminder",
    timeoutMs: 60_000,
    actions: [
      { label: "Done", run: () => void setDone(task, true) },
      ...snoozeOptions().map((option) => ({ label: option.label, run: () => void snooze(task, option.at) })),
    ],
  });
  void showSystemReminder(task, event.data.reminderId);
}

async function snooze(task: Task, at: Date): Promise<void> {
  try {
    await moveReminder(task, at.toISOString());
    showToast({ text: `Snoozed “${task.title}” until ${relativeWhen(at.toISOString())}` });
  } catch (error) {
    reportError(error, `“${task.title}” was not snoozed.`);
  }
}

function onReminderAction(taskId: string, action: ReminderAction): void {
  const task = snapshots.value.get(taskId);
  if (!task) return;
  if (action === "done") void setDone(task, true);
  else if (action === "snooze") void snooze(task, snoozeOptions()[0]!.at);
}

function applyFrame(event: LiveEvent): void {
  if (event.type === REMINDER_TRIGGERED) remind(event);
  else if (event.type.startsWith("todo.task.") && event.data.task) upsert(event.data.task);
}

let started = false;
/** Connects the live channel whenever someone is signed in; idempotent (every island may call it). */
export function startBoardSync(): void {
  if (started || typeof window === "undefined") return;
  started = true;
  readLocation();
  addEventListener("popstate", readLocation);
  startReminderWorker(onReminderAction);
  setInterval(() => (now.value = new Date()), 30_000);
  let stop: (() => void) | undefined;
  effect(() => {
    const token = session.value?.token;
    stop?.();
    stop = undefined;
    if (!token) {
      clearStore();
      return;
    }
    stop = connectLive(token, { onEvent: applyFrame, onResync: () => void loadAll() });
  });
  // Back online: what was queued goes out, in order.
  effect(() => {
    if (connection.value === "online") void flushOutbox();
  });
  addEventListener("online", () => void flushOutbox());
  addEventListener("pagehide", () => {
    for (const [id, timer] of deleteTimers) {
      clearTimeout(timer);
      const task = snapshots.value.get(id);
      if (task) void commitDelete(task, true);
    }
  });
}
