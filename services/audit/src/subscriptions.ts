import { EVENT_TOPICS, type Subscription } from "@todo/common";
import type { Database } from "@todo/common/db";
import { auditEntryOf } from "./audit-entry.ts";
import { appendAuditEntry } from "./store.ts";

export interface AuditSubscriptionDeps {
  db: Database;
  pubsub: string;
}

/**
 * Every event of every topic goes into the trail. A failed insert throws, so
 * the delivery is retried (and, after daprd's retries, dead-lettered):
 * an event is never acknowledged before it is recorded.
 */
export function auditSubscriptions(deps: AuditSubscriptionDeps): Subscription[] {
  return EVENT_TOPICS.map((topic) => ({
    pubsub: deps.pubsub,
    topic,
    route: `/events/${topic}`,
    deadLetterTopic: "audit-dead-letters",
    async handler(event, { logger }) {
      const recorded = await appendAuditEntry(deps.db, auditEntryOf(event, topic));
      if (!recorded) logger.debug("event already in the audit trail");
    },
  }));
}
