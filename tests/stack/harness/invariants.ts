/**
 * What must hold after every fault, read only through public surfaces (REST,
 * the audit API, WebSocket frames): each committed change audited exactly
 * once, no duplicate occurrence in a series, each reminder fired once, every
 * open tab showing the server's state.
 */
import type { AuditItem, ApiClient, TestUser } from "../../e2e/harness/api-client.ts";
import type { BrowserTab } from "@todo/testkit/browser-tab";
import type { ConfirmedReminder } from "./change-stream.ts";

const TASK_EVENT = /^todo\.task\./;

/** Problems in one user's audit trail: an event id twice, or a task version missing or twice. */
export function auditTrailProblems(items: AuditItem[], serverVersions: Map<string, number>): string[] {
  const problems: string[] = [];
  const ids = new Map<string, number>();
  for (const item of items) ids.set(item.eventId, (ids.get(item.eventId) ?? 0) + 1);
  for (const [id, count] of ids) if (count > 1) problems.push(`event ${id} audited ${count} times`);

  const versions = new Map<string, number[]>();
  for (const item of items) {
    if (!TASK_EVENT.test(item.type) || !item.taskId) continue;
    const task = item.event.data.task as { version?: number } | undefined;
    if (typeof task?.version !== "number") continue;
    versions.set(item.taskId, [...(versions.get(item.taskId) ?? []), task.version]);
  }
  for (const [taskId, seen] of versions) {
    const sorted = [...seen].sort((a, b) => a - b);
    const expected = Array.from({ length: sorted.at(-1)! }, (_, i) => i + 1);
    if (sorted.join() !== expected.join()) problems.push(`task ${taskId}: audited versions ${sorted.join(",")}`);
  }
  // Every committed version of a live task is there (the latest one included).
  for (const [taskId, version] of serverVersions) {
    const latest = Math.max(0, ...(versions.get(taskId) ?? []));
    if (latest !== version) problems.push(`task ${taskId} is at version ${version} but audited up to ${latest}`);
  }
  return problems;
}

/** The server's view: task id → version of every task the user has (deleted ones are gone). */
export async function serverVersions(api: ApiClient, user: TestUser): Promise<Map<string, number>> {
  return new Map((await api.listTasks(user, "all")).map((task) => [task.id, task.version]));
}

/** A tab's view, folded from the frames it received: latest version per task, deleted ones removed. */
export function tabVersions(tab: Pick<BrowserTab, "frames">): Map<string, number> {
  const latest = new Map<string, { version: number; deleted: boolean }>();
  for (const frame of tab.frames) {
    const task = frame.data.task;
    if (!TASK_EVENT.test(frame.type) || !task) continue;
    const known = latest.get(task.id);
    if (known && known.version >= task.version) continue;
    latest.set(task.id, { version: task.version, deleted: frame.type === "todo.task.deleted.v1" });
  }
  return new Map([...latest].filter(([, state]) => !state.deleted).map(([id, state]) => [id, state.version]));
}

export function sameVersions(a: Map<string, number>, b: Map<string, number>): boolean {
  return a.size === b.size && [...a].every(([id, version]) => b.get(id) === version);
}

/** Series with an occurrence number twice (in the task list or in the generated events). */
export async function duplicateOccurrences(api: ApiClient, user: TestUser): Promise<string[]> {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const task of await api.listTasks(user, "all")) {
    if (!task.seriesId) continue;
    const key = `${task.seriesId}#${task.occurrence}`;
    if (seen.has(key)) problems.push(`series ${task.seriesId} has occurrence ${task.occurrence} twice`);
    seen.add(key);
  }
  const generated = new Set<string>();
  for (const item of await api.auditTrail(user, { type: "todo.recurrence.generated.v1" })) {
    const key = `${item.event.data.seriesId}#${item.event.data.occurrence}`;
    if (generated.has(key)) problems.push(`occurrence ${key} generated twice`);
    generated.add(key);
  }
  return problems;
}

/** Reminders fired other than once: confirmed ones must fire exactly once, none may fire twice. */
export async function reminderProblems(api: ApiClient, users: TestUser[], confirmed: ConfirmedReminder[]): Promise<string[]> {
  const fired = new Map<string, number>();
  for (const user of users) {
    for (const item of await api.auditTrail(user, { type: "todo.reminder.triggered.v1" })) {
      const id = String(item.event.data.reminderId);
      fired.set(id, (fired.get(id) ?? 0) + 1);
    }
  }
  const problems = [...fired].filter(([, count]) => count > 1).map(([id, count]) => `reminder ${id} fired ${count} times`);
  for (const reminder of confirmed) {
    const id = `${reminder.taskId}-${Date.parse(reminder.remindAt)}`;
    if (fired.get(id) !== 1) problems.push(`reminder ${id} (due ${reminder.remindAt}) fired ${fired.get(id) ?? 0} times`);
  }
  return problems;
}
