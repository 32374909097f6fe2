import { Value } from "@sinclair/typebox/value";
import { CloudEvent } from "cloudevents";
import { eventCatalogue, isEventType, type EventData, type EventType, type TypedEvent } from "./catalogue.ts";
import { describeSchemaErrors } from "./describe-errors.ts";
import { TRACEPARENT_PATTERN } from "./schema-primitives.ts";

export interface BuildEventInput<T extends EventType> {
  data: EventData<T>;
  /** The producing service (CloudEvents `source`), e.g. "chat-api". */
  source: string;
  /** The task id; derived from `data` when omitted, and must match it when given. */
  subject?: string;
  /** Defaults to a new time-ordered UUIDv7; an outbox relay passes the row's id so redeliveries de-duplicate. */
  id?: string;
  time?: string | Date;
  /** W3C trace context of the change that caused the event; an invalid value is ignored, as W3C prescribes. */
  traceparent?: string;
}

/** The caller built an event that breaks the catalogue: a programming error, not bad input. */
export class InvalidEventError extends Error {
  override name = "InvalidEventError";
}

const traceparentFormat = new RegExp(TRACEPARENT_PATTERN);

export function buildEvent<T extends EventType>(type: T, input: BuildEventInput<T>): TypedEvent<T> {
  if (!isEventType(type)) throw new InvalidEventError(`cannot build ${String(type)}: not in the event catalogue`);
  const schema = eventCatalogue[type].schema;
  if (!Value.Check(schema, input.data)) {
    throw new InvalidEventError(`cannot build ${type}: ${describeSchemaErrors(schema, input.data, "/data")}`);
  }
  const subject = subjectFor(type, input);
  const attributes: Record<string, unknown> = {
    specversion: "1.0",
    id: input.id ?? Bun.randomUUIDv7(),
    source: input.source,
    type,
    time: input.time instanceof Date ? input.time.toISOString() : (input.time ?? new Date().toISOString()),
    datacontenttype: "application/json",
    data: input.data,
  };
  if (subject !== undefined) attributes.subject = subject;
  if (input.traceparent !== undefined && traceparentFormat.test(input.traceparent)) {
    attributes.traceparent = input.traceparent;
  }
  try {
    return new CloudEvent(attributes) as TypedEvent<T>;
  } catch (error) {
    throw new InvalidEventError(`cannot build ${type}: ${(error as Error).message}`);
  }
}

/** The id of the task an event is about, read from its payload (undefined for frames not about one task). */
export function taskIdOf(data: unknown): string | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const { task, taskId } = data as { task?: { id?: unknown }; taskId?: unknown };
  if (typeof task?.id === "string") return task.id;
  if (typeof taskId === "string") return taskId;
  return undefined;
}

function subjectFor(type: EventType, input: BuildEventInput<EventType>): string | undefined {
  const { task, taskId: payloadTaskId } = input.data as { task?: { id: string }; taskId?: string };
  if (task && payloadTaskId !== undefined && task.id !== payloadTaskId) {
    throw new InvalidEventError(`cannot build ${type}: taskId ${payloadTaskId} differs from the snapshot's id ${task.id}`);
  }
  const taskId = taskIdOf(input.data);
  if (input.subject !== undefined && taskId !== undefined && input.subject !== taskId) {
    throw new InvalidEventError(`cannot build ${type}: subject ${input.subject} is not the task id ${taskId}`);
  }
  return input.subject ?? taskId;
}
