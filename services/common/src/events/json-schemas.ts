import { Type, type TObject } from "@sinclair/typebox";
import { EVENT_TYPES, eventCatalogue, type EventType } from "./catalogue.ts";
import { DateTime, TRACEPARENT_PATTERN } from "./schema-primitives.ts";

/**
 * The whole event as it travels (envelope + data) for one type. Attributes
 * beyond these are allowed: daprd adds its own (topic, pubsubname, traceid...).
 */
export function eventEnvelopeSchema(type: EventType): TObject {
  const { schema, topic } = eventCatalogue[type];
  const subject = Type.String({ minLength: 1, description: "the task id" });
  return Type.Object(
    {
      specversion: Type.Literal("1.0"),
      id: Type.String({ minLength: 1, description: "time-ordered (UUIDv7)" }),
      source: Type.String({ minLength: 1 }),
      type: Type.Literal(type),
      // WebSocket frames are not about one task, so they may have no subject.
      subject: topic === null ? Type.Optional(subject) : subject,
      time: DateTime,
      datacontenttype: Type.Optional(Type.Literal("application/json")),
      traceparent: Type.Optional(Type.String({ pattern: TRACEPARENT_PATTERN })),
      data: schema,
    },
    { title: type, description: topic === null ? "WebSocket frame" : `published on topic ${topic}` },
  );
}

/** Plain JSON Schema (draft-07) of every catalogue event, keyed by type: for contract tests and docs. */
export function eventJsonSchemas(): Record<EventType, Record<string, unknown>> {
  const schemas = {} as Record<EventType, Record<string, unknown>>;
  for (const type of EVENT_TYPES) {
    // A JSON round trip drops TypeBox's symbol-keyed metadata, leaving standard JSON Schema.
    const plain = JSON.parse(JSON.stringify(eventEnvelopeSchema(type))) as Record<string, unknown>;
    schemas[type] = { $schema: "http://json-schema.org/draft-07/schema#", $id: `${type}.json`, ...plain };
  }
  return schemas;
}
