import { Type, type TSchema } from "@sinclair/typebox";

/**
 * RFC 3339 date-time with an explicit offset (`Z` or `±hh:mm`). A pattern, not
 * TypeBox `format: "date-time"`, because formats are only checked once
 * registered in a process-wide registry, and the exported JSON Schema should
 * say the same thing to any validator.
 */
export const DATE_TIME_PATTERN =
  "^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d:([0-5]\\d|60)(\\.\\d{1,9})?(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d)$";

export const UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

/**
 * Text a person typed: no control characters (C0, DEL, C1) and no
 * bidirectional embeddings, overrides or isolates (U+202A-202E, U+2066-2069),
 * which can make a title display as something other than what it says
 * ("Trojan Source"). Escapes only, so any JSON Schema validator reads it.
 */
export const SINGLE_LINE_TEXT_PATTERN = "^[^\\u0000-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069]*$";
/** The same for multi-line text: tab, line feed and carriage return are allowed. */
export const MULTI_LINE_TEXT_PATTERN = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069]*$";

/** W3C trace context `traceparent` (version-traceid-parentid-flags). */
export const TRACEPARENT_PATTERN = "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$";

export const DateTime = Type.String({ pattern: DATE_TIME_PATTERN, description: "RFC 3339 date-time with offset" });
export const TaskId = Type.String({ pattern: UUID_PATTERN, description: "task id (UUID)" });
export const UserId = Type.String({ minLength: 1, maxLength: 128 });
/** The task's version: starts at 1 and increments on every change, so consumers can ignore stale snapshots. */
export const TaskVersion = Type.Integer({ minimum: 1 });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
