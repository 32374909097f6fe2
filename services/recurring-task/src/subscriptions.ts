import { defineSubscription, TASK_COMPLETED, TASK_EVENTS_TOPIC, type ServiceDeps, type Subscription } from "@todo/common";
import { onTaskCompleted } from "./on-task-completed.ts";

/** recurring-task only needs completions: the other task events are acknowledged and skipped. */
export function recurringTaskSubscriptions(deps: ServiceDeps): Subscription[] {
  return [
    defineSubscription({
      pubsub: deps.components.pubsub,
      topic: TASK_EVENTS_TOPIC,
      route: "/events/task-events",
      deadLetterTopic: "recurring-task-dead-letters",
      types: [TASK_COMPLETED],
      handler: onTaskCompleted({ dapr: deps.dapr, pubsub: deps.components.pubsub, now: deps.now }),
    }),
  ];
}
