import type { ServiceDeps, Subscription } from "@todo/common";

/** audit keeps every event of every topic (issue #5 writes them to its append-only table). */
export function auditSubscriptions(deps: ServiceDeps): Subscription[] {
  const record: Subscription["handler"] = async (event, { logger }) => {
    logger.debug("event received", { eventType: event.type });
  };
  return ["task-events", "reminder-events", "recurring-events"].map((topic) => ({
    pubsub: deps.components.pubsub,
    topic,
    route: `/events/${topic}`,
    deadLetterTopic: "audit-dead-letters",
    handler: record,
  }));
}
