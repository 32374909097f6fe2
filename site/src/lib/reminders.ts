import type { Task } from "./api.ts";
import { relativeWhen } from "./dates.ts";

/** Snooze choices from `now`: 10 minutes, an hour, or tomorrow at 9 in the morning. */
export function snoozeOptions(now = new Date()): { label: string; at: Date }[] {
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 9, 0);
  return [
    { label: "Snooze 10 min", at: new Date(now.getTime() + 10 * 60_000) },
    { label: "Snooze 1 hour", at: new Date(now.getTime() + 60 * 60_000) },
    { label: "Tomorrow morning", at: tomorrow },
  ];
}

export type ReminderAction = "done" | "snooze" | "open";

let worker: Promise<ServiceWorkerRegistration | undefined> | undefined;
/** Registers /sw.js once; its notification clicks come back through `onAction`. */
export function startReminderWorker(onAction: (taskId: string, action: ReminderAction) => void): void {
  if (worker || typeof navigator === "undefined" || !("serviceWorker" in navigator)) return;
  worker = navigator.serviceWorker.register("/sw.js").then(
    () => navigator.serviceWorker.ready,
    () => undefined,
  );
  navigator.serviceWorker.addEventListener("message", (event: MessageEvent) => {
    const data = event.data as { type?: string; taskId?: string; action?: ReminderAction };
    if (data?.type === "reminder-action" && typeof data.taskId === "string" && data.action) onAction(data.taskId, data.action);
  });
}

/** The system notification of a reminder, through the service worker so it has Done and Snooze; a plain one where there is none. */
export async function showSystemReminder(task: Pick<Task, "id" | "title" | "dueAt">, reminderId: string | undefined): Promise<void> {
  if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
  const body = task.dueAt ? `${task.title} (due ${relativeWhen(task.dueAt)})` : task.title;
  const registration = await worker;
  if (registration) {
    await registration.showNotification("Todo reminder", {
      body,
      tag: reminderId,
      data: { taskId: task.id },
      actions: [
        { action: "done", title: "Done" },
        { action: "snooze", title: "Snooze 10 min" },
      ],
    } as NotificationOptions);
    return;
  }
  new Notification("Todo reminder", { body, tag: reminderId });
}

/** Whether to ask for notifications now: the browser has them and the user has not answered yet. */
export function shouldAskNotificationPermission(): boolean {
  return typeof Notification !== "undefined" && Notification.permission === "default";
}
