import { REMINDER_EVENTS_TOPIC, TASK_EVENTS_TOPIC, type ServiceDeps, type Subscription } from "@todo/common";
import type { LiveEvents } from "./live-events.ts";

/** Every task and reminder event goes to its user's journal and tabs; a failure asks for redelivery. */
export function websocketSubscriptions(deps: ServiceDeps, live: LiveEvents): Subscription[] {
  return [TASK_EVENTS_TOPIC, REMINDER_EVENTS_TOPIC].map((topic) => ({
    pubsub: deps.components.pubsub,
    topic,
    route: `/events/${topic}`,
    deadLetterTopic: "websocket-dead-letters",
    handler: (event) => live.onEvent(event),
  }));
}
