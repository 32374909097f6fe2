import { taskIdOf, type TypedEvent } from "@todo/common";

/** One row of the audit trail, as the subscription handler appends it. */
export interface NewAuditEntry {
  eventId: string;
  type: string;
  topic: string;
  taskId: string | null;
  userId: string;
  /** The CloudEvent's own `time`. */
  eventTime: string;
  /** The CloudEvent as its producer published it. */
  event: Record<string, unknown>;
}

/**
 * Attributes daprd adds on delivery. They describe one delivery, not the
 * fact, so the trail keeps the event as published (what the outbox holds):
 * a redelivery then carries exactly the same record.
 */
const DELIVERY_ATTRIBUTES = ["pubsubname", "topic", "traceid", "tracestate", "expiration"];

export function auditEntryOf(event: TypedEvent, topic: string): NewAuditEntry {
  const published: Record<string, unknown> = { ...event.toJSON() };
  for (const name of DELIVERY_ATTRIBUTES) delete published[name];
  return {
    eventId: event.id,
    type: event.type,
    topic,
    taskId: taskIdOf(event.data) ?? null,
    userId: event.data.userId,
    // The cloudevents package fills in `time` when the producer left it out.
    eventTime: event.time ?? new Date().toISOString(),
    event: published,
  };
}
