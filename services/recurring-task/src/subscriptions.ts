import type { ServiceDeps, Subscription } from "@todo/common";

/** recurring-task reacts to completed tasks (issue #5 creates the next occurrence). */
export function recurringTaskSubscriptions(deps: ServiceDeps): Subscription[] {
  return [
    {
      pubsub: deps.components.pubsub,
      topic: "task-events",
      route: "/events/task-events",
      deadLetterTopic: "recurring-task-dead-letters",
      types: ["todo.task.completed.v1", "todo.task.deleted.v1", "todo.task.updated.v1"],
      handler: async (event, { logger }) => logger.debug("task change received", { eventType: event.type }),
    },
  ];
}
