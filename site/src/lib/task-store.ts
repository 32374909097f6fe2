import { computed, signal } from "@preact/signals";
import type { Task } from "./api.ts";

/**
 * The tasks this tab knows, kept the way the server says they are: every
 * snapshot (a REST answer or a live frame) is applied by version, so a stale
 * or replayed frame never undoes a newer one and nothing needs a refetch.
 * Local changes not yet confirmed sit in `overlays` on top, so a refusal
 * rolls back by dropping the overlay.
 */
export const snapshots = signal<ReadonlyMap<string, Task>>(new Map());
/** Changes made here and not confirmed yet, by task id. */
export const overlays = signal<ReadonlyMap<string, Partial<Task>>>(new Map());
/** Ids whose last change could not be saved (shown as "not saved"). */
export const unsaved = signal<ReadonlySet<string>>(new Set());

/** The highest version seen per id, deletes included, so an old frame cannot bring a deleted task back. */
const seen = new Map<string, number>();

/** Every task as the board shows it: the snapshot with its pending local change. */
export const knownTasks = computed<Task[]>(() => {
  const changes = overlays.value;
  return [...snapshots.value.values()].map((task) => {
    const change = changes.get(task.id);
    return change ? { ...task, ...change } : task;
  });
});

/** Ids a frame touched while a full load was on its way: the load's answer may be older for them. */
let touchedDuringLoad: Set<string> | null = null;

/** Applies one snapshot if it is newer than what this tab has; a tombstone (`deletedAt`) removes the task. Returns whether it applied. */
export function upsert(task: Task): boolean {
  if ((seen.get(task.id) ?? 0) >= task.version) return false;
  seen.set(task.id, task.version);
  touchedDuringLoad?.add(task.id);
  const next = new Map(snapshots.value);
  if (task.deletedAt) next.delete(task.id);
  else next.set(task.id, task);
  snapshots.value = next;
  return true;
}

/** Call before asking for the full list, so frames arriving meanwhile are not lost to the (older) answer. */
export function beginFullLoad(): void {
  touchedDuringLoad = new Set();
}

/**
 * A full load (first connection or a sync reset): what the server listed is
 * the truth, except for tasks a frame changed, created or deleted while the
 * list was on its way, where the higher version wins.
 */
export function replaceAll(tasks: Task[]): void {
  const next = new Map(tasks.map((task) => [task.id, task]));
  const versions = new Map(tasks.map((task) => [task.id, task.version]));
  for (const id of touchedDuringLoad ?? []) {
    const listed = next.get(id);
    const newer = seen.get(id) ?? 0;
    if (listed && listed.version >= newer) continue;
    versions.set(id, newer);
    const live = snapshots.value.get(id);
    if (live) next.set(id, live);
    else next.delete(id); // deleted meanwhile
  }
  touchedDuringLoad = null;
  seen.clear();
  for (const [id, version] of versions) seen.set(id, version);
  snapshots.value = next;
}

export function setOverlay(id: string, change: Partial<Task> | undefined): void {
  const next = new Map(overlays.value);
  if (change) next.set(id, { ...next.get(id), ...change });
  else next.delete(id);
  overlays.value = next;
}

export function markUnsaved(id: string, isUnsaved: boolean): void {
  const next = new Set(unsaved.value);
  if (isUnsaved) next.add(id);
  else next.delete(id);
  unsaved.value = next;
}

export function clearStore(): void {
  seen.clear();
  touchedDuringLoad = null;
  snapshots.value = new Map();
  overlays.value = new Map();
  unsaved.value = new Set();
}
