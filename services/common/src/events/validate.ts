import { Value } from "@sinclair/typebox/value";
import { CloudEvent } from "cloudevents";
import { eventCatalogue, isEventType, type TypedEvent } from "./catalogue.ts";
import { describeSchemaErrors } from "./describe-errors.ts";

export type ParseFailureReason = "malformed" | "unknown-type" | "invalid-data";

export type ParseEventResult =
  | { ok: true; event: TypedEvent }
  | {
      ok: false;
      reason: ParseFailureReason;
      message: string;
      /** Whatever `id` and `type` could be read, for the log line that reports the failure. */
      id?: string;
      type?: string;
    };

/**
 * Checks a CloudEvent as a subscriber receives it (already JSON-parsed):
 * envelope, type and payload. Attributes daprd adds (topic, pubsubname,
 * traceid, traceparent, tracestate, expiration) are kept as extensions.
 */
export function parseEvent(raw: unknown): ParseEventResult {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: "malformed", message: "a CloudEvent must be a JSON object" };
  }
  const attributes = { ...(raw as Record<string, unknown>) };
  const id = nonEmptyString(attributes.id);
  const type = nonEmptyString(attributes.type);
  const failure = (reason: ParseFailureReason, message: string): ParseEventResult => ({ ok: false, reason, message, id, type });

  // The cloudevents package fills in a missing id or specversion instead of rejecting them, so check first.
  if (attributes.specversion === undefined) return failure("malformed", "missing specversion");
  if (attributes.specversion !== "1.0") return failure("malformed", `unsupported specversion ${JSON.stringify(attributes.specversion)}`);
  for (const name of ["id", "source", "type"]) {
    if (nonEmptyString(attributes[name]) === undefined) return failure("malformed", `missing or empty ${name}`);
  }
  if (attributes.data_base64 !== undefined) return failure("malformed", "binary data (data_base64) is not a catalogue event");

  // Publishing with a text content type makes daprd deliver the JSON payload as a string.
  if (typeof attributes.data === "string") {
    try {
      attributes.data = JSON.parse(attributes.data);
    } catch {
      return failure("invalid-data", "data is a string that is not JSON");
    }
  }

  let event: CloudEvent<unknown>;
  try {
    event = new CloudEvent<unknown>(attributes);
  } catch (error) {
    return failure("malformed", (error as Error).message.replace(/\s*\n\s*/g, " ").slice(0, 500));
  }

  if (!isEventType(event.type)) return failure("unknown-type", `unknown event type ${event.type}`);
  const schema = eventCatalogue[event.type].schema;
  if (!Value.Check(schema, event.data)) {
    return failure("invalid-data", `${event.type}: ${describeSchemaErrors(schema, event.data, "/data")}`);
  }
  return { ok: true, event: event as TypedEvent };
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
