import {
  defineSubscription,
  REMINDER_CANCELLED,
  REMINDER_EVENTS_TOPIC,
  REMINDER_SCHEDULED,
  TASK_COMPLETED,
  TASK_CREATED,
  TASK_DELETED,
  TASK_EVENTS_TOPIC,
  TASK_UPDATED,
  type Subscription,
} from "@todo/common";
import type { Reminders } from "./reminders.ts";

export const DEAD_LETTER_TOPIC = "notification-dead-letters";

/**
 * reminder-events schedule and cancel the jobs; task-events keep the task
 * snapshot fresh, so a job that fires re-checks the newest state even when
 * the matching cancellation has not arrived yet.
 */
export function notificationSubscriptions(pubsub: string, reminders: Reminders): Subscription[] {
  return [
    defineSubscription({
      pubsub,
      topic: REMINDER_EVENTS_TOPIC,
      route: `/events/${REMINDER_EVENTS_TOPIC}`,
      deadLetterTopic: DEAD_LETTER_TOPIC,
      types: [REMINDER_SCHEDULED, REMINDER_CANCELLED],
      handler: async (event, { logger }) => {
        switch (event.type) {
          case REMINDER_SCHEDULED:
            return reminders.reminderScheduled(event.data, logger);
          case REMINDER_CANCELLED:
            return reminders.reminderCancelled(event.data, logger);
        }
      },
    }),
    defineSubscription({
      pubsub,
      topic: TASK_EVENTS_TOPIC,
      route: `/events/${TASK_EVENTS_TOPIC}`,
      deadLetterTopic: DEAD_LETTER_TOPIC,
      types: [TASK_CREATED, TASK_UPDATED, TASK_COMPLETED, TASK_DELETED],
      handler: (event) => reminders.taskChanged(event.data.task),
    }),
  ];
}
