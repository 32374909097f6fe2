import type { Static, TSchema } from "@sinclair/typebox";
import type { CloudEvent } from "cloudevents";
import { RECURRENCE_GENERATED, RECURRING_EVENTS_TOPIC, RecurrenceGeneratedData } from "./recurrence.ts";
import {
  REMINDER_CANCELLED,
  REMINDER_DELIVERED,
  REMINDER_EVENTS_TOPIC,
  REMINDER_SCHEDULED,
  REMINDER_TRIGGERED,
  ReminderCancelledData,
  ReminderDeliveredData,
  ReminderScheduledData,
  ReminderTriggeredData,
} from "./reminder.ts";
import { SYNC_RESET, SyncResetData } from "./sync.ts";
import {
  TASK_COMPLETED,
  TASK_CREATED,
  TASK_DELETED,
  TASK_EVENTS_TOPIC,
  TASK_UPDATED,
  TaskCompletedData,
  TaskCreatedData,
  TaskDeletedData,
  TaskUpdatedData,
} from "./task.ts";

/** Every event type we produce: its payload schema and the topic it is published on (null: never published). */
export const eventCatalogue = {
  [TASK_CREATED]: { schema: TaskCreatedData, topic: TASK_EVENTS_TOPIC },
  [TASK_UPDATED]: { schema: TaskUpdatedData, topic: TASK_EVENTS_TOPIC },
  [TASK_COMPLETED]: { schema: TaskCompletedData, topic: TASK_EVENTS_TOPIC },
  [TASK_DELETED]: { schema: TaskDeletedData, topic: TASK_EVENTS_TOPIC },
  [REMINDER_SCHEDULED]: { schema: ReminderScheduledData, topic: REMINDER_EVENTS_TOPIC },
  [REMINDER_CANCELLED]: { schema: ReminderCancelledData, topic: REMINDER_EVENTS_TOPIC },
  [REMINDER_TRIGGERED]: { schema: ReminderTriggeredData, topic: REMINDER_EVENTS_TOPIC },
  [REMINDER_DELIVERED]: { schema: ReminderDeliveredData, topic: REMINDER_EVENTS_TOPIC },
  [RECURRENCE_GENERATED]: { schema: RecurrenceGeneratedData, topic: RECURRING_EVENTS_TOPIC },
  [SYNC_RESET]: { schema: SyncResetData, topic: null },
} as const satisfies Record<string, { schema: TSchema; topic: string | null }>;

type Catalogue = typeof eventCatalogue;

export type EventType = keyof Catalogue;
/** Types that travel over pub/sub (everything but WebSocket-only frames). */
export type PublishedEventType = { [K in EventType]: Catalogue[K]["topic"] extends null ? never : K }[EventType];
export type EventTopic = NonNullable<Catalogue[EventType]["topic"]>;
export type TopicOf<T extends PublishedEventType> = NonNullable<Catalogue[T]["topic"]>;
export type EventData<T extends EventType> = Static<Catalogue[T]["schema"]>;

/** A validated CloudEvent whose `data` type follows from its `type`: switch on `event.type` to narrow. */
export type TypedEvent<T extends EventType = EventType> = {
  [K in T]: CloudEvent<EventData<K>> & { readonly type: K; readonly data: EventData<K> };
}[T];

export const EVENT_TYPES = Object.keys(eventCatalogue) as EventType[];

export const EVENT_TOPICS: readonly EventTopic[] = [...new Set(EVENT_TYPES.map((type) => eventCatalogue[type].topic))].filter(
  (topic): topic is EventTopic => topic !== null,
);

export function isEventType(type: unknown): type is EventType {
  return typeof type === "string" && Object.hasOwn(eventCatalogue, type);
}

export function isPublishedEventType(type: unknown): type is PublishedEventType {
  return isEventType(type) && eventCatalogue[type].topic !== null;
}

export function topicOf<T extends PublishedEventType>(type: T): TopicOf<T> {
  const topic = isEventType(type) ? eventCatalogue[type].topic : null;
  if (topic === null) throw new Error(`event type ${String(type)} is not published to any topic`);
  return topic as TopicOf<T>;
}

/** The event types published on `topic`: handy for a subscription's `types` filter. */
export function eventTypesOn(topic: EventTopic): PublishedEventType[] {
  return EVENT_TYPES.filter((type): type is PublishedEventType => eventCatalogue[type].topic === topic);
}
