import type { DaprClient } from "@todo/common";
import { updateWithEtag } from "./etag-update.ts";
import type { EventJson } from "./event-json.ts";

/**
 * Reminders that fired while the user had no open tab anywhere, kept in Dapr
 * state (`pending-reminders:<userId>`, oldest first) until the next
 * connection shows them.
 */
export const pendingKey = (userId: string) => `pending-reminders:${userId}`;

const reminderIdOf = (event: EventJson) => (event.data as { reminderId?: unknown } | undefined)?.reminderId;

/** The queue with `event` added; undefined when it already holds that event or that reminder. */
export function withQueued(queue: readonly EventJson[], event: EventJson, maxQueued: number): EventJson[] | undefined {
  // Every replica queues the same firing, and a re-fired job repeats it: one toast is enough.
  if (queue.some((queued) => queued.id === event.id || reminderIdOf(queued) === reminderIdOf(event))) return undefined;
  return [...queue, event].slice(-maxQueued);
}

export interface PendingRemindersOptions {
  dapr: DaprClient;
  stateStore: string;
  maxQueued: number;
  ttlInSeconds: number;
}

export function createPendingReminders(options: PendingRemindersOptions) {
  const { dapr, stateStore, maxQueued, ttlInSeconds } = options;
  return {
    enqueue(userId: string, event: EventJson): Promise<boolean> {
      return updateWithEtag<EventJson[]>(dapr, stateStore, pendingKey(userId), (current) => {
        const next = withQueued(current ?? [], event, maxQueued);
        return next && { value: next, ttlInSeconds };
      });
    },
    async list(userId: string): Promise<EventJson[]> {
      return (await dapr.getState<EventJson[]>(stateStore, pendingKey(userId)))?.value ?? [];
    },
    /** Removes the delivered ones; reminders queued meanwhile stay. */
    async remove(userId: string, eventIds: readonly string[]): Promise<void> {
      const delivered = new Set(eventIds);
      await updateWithEtag<EventJson[]>(dapr, stateStore, pendingKey(userId), (current) => {
        if (!current) return undefined;
        const rest = current.filter((event) => !delivered.has(event.id));
        if (rest.length === current.length) return undefined;
        return rest.length === 0 ? "delete" : { value: rest, ttlInSeconds };
      });
    },
  };
}

export type PendingReminders = ReturnType<typeof createPendingReminders>;
