import {
  buildEvent,
  deterministicEventId,
  REMINDER_DELIVERED,
  REMINDER_EVENTS_TOPIC,
  REMINDER_TRIGGERED,
  type DaprClient,
  type Logger,
  type ReminderTriggeredData,
  type TypedEvent,
} from "@todo/common";
import type { ConnectionRegistry } from "./connection-registry.ts";
import { toEventJson, type EventJson } from "./event-json.ts";
import type { JournalStore } from "./journal-store.ts";
import type { LocalConnections } from "./local-connections.ts";
import type { PendingReminders } from "./pending-reminders.ts";
import { createPerKeyBatches } from "./per-key-batch.ts";
import type { PerKeySerial } from "./per-key-serial.ts";
import type { RecentIds } from "./recent-ids.ts";

export interface LiveEventsDeps {
  dapr: DaprClient;
  pubsub: string;
  connections: LocalConnections;
  journal: JournalStore;
  pending: PendingReminders;
  registry: ConnectionRegistry;
  serial: PerKeySerial;
  /** Events this replica already pushed: a redelivery after a failure further on is not shown twice. */
  pushed: RecentIds;
  /** Events older than this (the journal's age bound) are history, not news: a new consumer group catching up skips them. */
  maxEventAgeMs: number;
  now: () => Date;
  logger: Logger;
}

/** At most this many events per journal write. */
const JOURNAL_BATCH = 100;

/**
 * What happens to each task or reminder event: it joins the user's journal,
 * goes to the user's tabs here, and a fired reminder nobody sees is queued
 * until the next connection.
 */
export function createLiveEvents(deps: LiveEventsDeps) {
  const { connections, journal, pending, registry, serial } = deps;

  // A user's events that arrive together (several partitions, a backlog) join the journal in one
  // write, then go to the tabs in that order: tabs see the journal's order, live or replayed.
  const journalAndPush = createPerKeyBatches<EventJson>(async (userId, events) => {
    await journal.append(userId, events);
    for (const event of events) if (deps.pushed.admit(event.id)) connections.push(userId, event);
  }, JOURNAL_BATCH);

  async function publishDelivered(reminder: Pick<ReminderTriggeredData, "userId" | "taskId" | "reminderId">) {
    const event = buildEvent(REMINDER_DELIVERED, {
      source: "websocket",
      // Every tab, replica and retry that shows this reminder publishes the same fact: one id.
      id: deterministicEventId(REMINDER_DELIVERED, reminder.reminderId),
      data: { userId: reminder.userId, taskId: reminder.taskId, reminderId: reminder.reminderId, deliveredAt: deps.now().toISOString() },
    });
    await deps.dapr.publish(deps.pubsub, REMINDER_EVENTS_TOPIC, event, { partitionKey: reminder.taskId });
  }

  /** Shows the queued reminders on the user's live tabs here, then reports them delivered. */
  function deliverPending(userId: string): Promise<void> {
    return serial(`pending:${userId}`, async () => {
      if (connections.live(userId).length === 0) return;
      const queued = await pending.list(userId);
      if (queued.length === 0) return;
      const shown: EventJson[] = [];
      for (const event of queued) {
        let reached = false;
        for (const connection of connections.live(userId)) if (await connections.send(connection, event)) reached = true;
        // A tab that closed meanwhile saw nothing: the reminder stays queued for the next one.
        if (reached) shown.push(event);
      }
      if (shown.length === 0) return;
      for (const event of shown) await publishDelivered(event.data as ReminderTriggeredData);
      await pending.remove(
        userId,
        shown.map((event) => event.id),
      );
      deps.logger.info("queued reminders delivered", { userId, count: shown.length });
    });
  }

  async function reminderTriggered(event: EventJson, data: ReminderTriggeredData) {
    if (connections.count(data.userId) > 0) return await publishDelivered(data);
    // Another replica holds a tab of this user: it shows the reminder (it sees every event too).
    if ((await registry.connectionsElsewhere(data.userId)) > 0) return;
    await pending.enqueue(data.userId, event);
    // A tab may have opened while this ran; once live it reads the queue itself, and this covers it if it already did.
    await deliverPending(data.userId);
  }

  return {
    async onEvent(event: TypedEvent): Promise<void> {
      const time = Date.parse(event.time ?? "");
      if (time < deps.now().getTime() - deps.maxEventAgeMs) {
        deps.logger.debug("skipping an event older than the journal keeps", { eventId: event.id, time: event.time });
        return;
      }
      const json = toEventJson(event);
      const userId = event.data.userId;
      await journalAndPush(userId, json);
      if (event.type === REMINDER_TRIGGERED) await reminderTriggered(json, event.data);
    },
    deliverPending,
  };
}

export type LiveEvents = ReturnType<typeof createLiveEvents>;
