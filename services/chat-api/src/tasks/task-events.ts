import { buildEvent, type ReminderCancelReason, type Task, type TypedEvent } from "@todo/common";

const SOURCE = "chat-api";

/** One committed change of a task, as the events describe it. */
export type TaskChange =
  | { kind: "created"; task: Task }
  | { kind: "updated"; before: Task; task: Task; changed: string[] }
  | { kind: "completed"; before: Task; task: Task }
  | { kind: "deleted"; before: Task; task: Task };

/**
 * The events a change publishes, in the order they are written to the
 * outbox: the task event first, then what it does to the task's reminder.
 * Every event carries the task's new version, so a consumer holding a newer
 * one ignores it.
 */
export function eventsForChange(change: TaskChange, now: Date): TypedEvent[] {
  const { task } = change;
  const base = { userId: task.userId, version: task.version, task };
  const common = { source: SOURCE, time: now };
  const events: TypedEvent[] = [];
  switch (change.kind) {
    case "created":
      events.push(buildEvent("todo.task.created.v1", { ...common, data: base }));
      break;
    case "updated":
      events.push(buildEvent("todo.task.updated.v1", { ...common, data: { ...base, changed: change.changed } }));
      break;
    case "completed":
      events.push(buildEvent("todo.task.completed.v1", { ...common, data: base }));
      break;
    case "deleted":
      events.push(buildEvent("todo.task.deleted.v1", { ...common, data: base }));
      break;
  }
  const before = change.kind === "created" ? undefined : change.before;
  events.push(...reminderEvents(before, task, now));
  return events;
}

/**
 * A pending, live task with a remindAt has a reminder. Its id is
 * `<taskId>-<remindAt in epoch ms>`: derived from the task alone (no extra
 * column), the same for every event about that reminder, and different once
 * the time moves. The notification service names its Dapr job by it, so it
 * keeps to letters, digits and '-'; a moved reminder is a new job and the old
 * one is cancelled by its own id.
 */
export function reminderIdOf(task: Pick<Task, "id" | "remindAt">): string | undefined {
  return task.remindAt === null ? undefined : `${task.id}-${Date.parse(task.remindAt)}`;
}

function activeReminder(task: Task): { id: string; remindAt: string } | undefined {
  if (task.status !== "pending" || task.deletedAt !== null || task.remindAt === null) return undefined;
  return { id: reminderIdOf(task) as string, remindAt: task.remindAt };
}

/**
 * Cancel the reminder the task had when it no longer has that one (it was
 * cleared, moved, or the task completed or deleted); schedule the one it
 * has now when it is new and still ahead (a past one has already fired or
 * would fire at once for nothing). A reminder that already fired may still
 * be cancelled: the notification service treats an unknown job as done.
 */
function reminderEvents(before: Task | undefined, after: Task, now: Date): TypedEvent[] {
  const previous = before ? activeReminder(before) : undefined;
  const current = activeReminder(after);
  const events: TypedEvent[] = [];
  const common = { source: SOURCE, time: now };
  const ids = { userId: after.userId, taskId: after.id, version: after.version };
  if (previous && previous.id !== current?.id) {
    events.push(
      buildEvent("todo.reminder.cancelled.v1", {
        ...common,
        data: { ...ids, reminderId: previous.id, reason: cancelReason(after, current !== undefined) },
      }),
    );
  }
  if (current && current.id !== previous?.id && Date.parse(current.remindAt) > now.getTime()) {
    events.push(
      buildEvent("todo.reminder.scheduled.v1", {
        ...common,
        data: { ...ids, reminderId: current.id, remindAt: current.remindAt, task: after },
      }),
    );
  }
  return events;
}

function cancelReason(after: Task, hasNewReminder: boolean): ReminderCancelReason {
  if (after.deletedAt !== null) return "deleted";
  if (after.status === "completed") return "completed";
  return hasNewReminder ? "rescheduled" : "cleared";
}
