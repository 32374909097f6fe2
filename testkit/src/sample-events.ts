/** Test-only: valid payloads for every catalogue type, so tests change one field at a time. */
import type { EventData, EventType, Task } from "@todo/common";

export const SAMPLE_TASK_ID = "0190f3a0-0000-7000-8000-000000000001";

export function sampleTask(overrides: Partial<Task> = {}): Task {
  return {
    id: SAMPLE_TASK_ID,
    userId: "user-1",
    title: "Pay rent",
    description: "",
    status: "pending",
    priority: "high",
    tags: ["home", "bills_2026"],
    dueAt: "2026-02-01T09:00:00+01:00",
    remindAt: "2026-02-01T08:00:00Z",
    recurrence: "FREQ=MONTHLY;BYMONTHDAY=1",
    seriesId: "series-1",
    occurrence: 0,
    version: 3,
    createdAt: "2026-01-01T10:00:00.000Z",
    updatedAt: "2026-01-02T10:00:00.000Z",
    completedAt: null,
    deletedAt: null,
    ...overrides,
  };
}

/** A task as just created: pending, version 1, no dates, tags or series. */
export function blankTask(overrides: Partial<Task> = {}): Task {
  return {
    id: SAMPLE_TASK_ID,
    userId: "0190f3a0-0000-7000-8000-0000000000aa",
    title: "Pay rent",
    description: "",
    status: "pending",
    priority: "none",
    tags: [],
    dueAt: null,
    remindAt: null,
    recurrence: null,
    seriesId: null,
    occurrence: null,
    version: 1,
    createdAt: "2030-03-01T08:00:00.000Z",
    updatedAt: "2030-03-01T08:00:00.000Z",
    completedAt: null,
    deletedAt: null,
    ...overrides,
  };
}

export function sampleData<T extends EventType>(type: T): EventData<T> {
  const task = sampleTask();
  const reminder = { userId: task.userId, taskId: task.id, version: task.version, reminderId: `${task.id}:3` };
  const samples: { [K in EventType]: EventData<K> } = {
    "todo.task.created.v1": { userId: task.userId, version: 1, task: { ...task, version: 1 } },
    "todo.task.updated.v1": { userId: task.userId, version: task.version, task, changed: ["title", "tags"] },
    "todo.task.completed.v1": {
      userId: task.userId,
      version: 4,
      task: { ...task, status: "completed", version: 4, completedAt: "2026-02-01T07:00:00Z" },
    },
    "todo.task.deleted.v1": { userId: task.userId, version: 4, task: { ...task, version: 4, deletedAt: "2026-02-01T07:00:00Z" } },
    "todo.reminder.scheduled.v1": { ...reminder, remindAt: "2026-02-01T08:00:00Z", task },
    "todo.reminder.cancelled.v1": { ...reminder, reason: "rescheduled" },
    "todo.reminder.triggered.v1": { ...reminder, remindAt: "2026-02-01T08:00:00Z", firedAt: "2026-02-01T08:00:00.012Z", task },
    "todo.reminder.delivered.v1": { userId: task.userId, taskId: task.id, reminderId: reminder.reminderId, deliveredAt: "2026-02-01T08:00:01Z" },
    "todo.recurrence.generated.v1": {
      userId: task.userId,
      seriesId: "series-1",
      occurrence: 1,
      previousTaskId: "0190f3a0-0000-7000-8000-000000000000",
      task: { ...task, occurrence: 1, version: 1 },
    },
    "todo.sync.reset.v1": { userId: task.userId, reason: "replay-gap" },
  };
  return samples[type];
}
