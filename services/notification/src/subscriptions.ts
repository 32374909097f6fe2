import type { ServiceDeps, Subscription } from "@todo/common";

/** notification follows reminder changes (issue #5 schedules and cancels the Dapr jobs). */
export function notificationSubscriptions(deps: ServiceDeps): Subscription[] {
  return [
    {
      pubsub: deps.components.pubsub,
      topic: "reminder-events",
      route: "/events/reminder-events",
      deadLetterTopic: "notification-dead-letters",
      types: ["todo.reminder.scheduled.v1", "todo.reminder.cancelled.v1"],
      handler: async (event, { logger }) => logger.debug("reminder change received", { eventType: event.type }),
    },
  ];
}
