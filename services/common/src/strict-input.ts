import type { TObject } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { describeSchemaErrors } from "./events/describe-errors.ts";
import { AppError } from "./http-errors.ts";

/**
 * Route `transform` hooks that answer 400 for input the schema does not
 * declare. Elysia would drop it silently, so a typo (`timezone` for
 * `timeZone`, `task=` for `taskId=`) would look like success while changing
 * or filtering nothing.
 */
interface ObjectSchema {
  properties: Record<string, unknown>;
}

export function rejectUnknownFields(schema: ObjectSchema) {
  const allowed = new Set(Object.keys(schema.properties));
  return ({ body }: { body: unknown }) => {
    if (typeof body !== "object" || body === null || Array.isArray(body)) return;
    refuse(Object.keys(body).filter((key) => !allowed.has(key)), "field");
  };
}

export function rejectUnknownQuery(schema: ObjectSchema) {
  const allowed = new Set(Object.keys(schema.properties));
  return ({ query }: { query: Record<string, unknown> }) => {
    refuse(Object.keys(query).filter((key) => !allowed.has(key)), "query parameter");
  };
}

function refuse(unknown: string[], what: string) {
  if (unknown.length === 0) return;
  const details = unknown.map((key) => ({ path: `/${key}`, message: `unknown ${what} '${key}'` }));
  throw new AppError(400, "invalid_request", `unknown ${what}${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`, details);
}

/**
 * The check of a JSON body on every route, as its `transform`: unknown fields
 * named first, then the schema, answered 400 `invalid_request` with messages
 * that name the field (describeSchemaErrors) and never print the value.
 */
export function checkBody(schema: TObject) {
  const unknownFields = rejectUnknownFields(schema);
  return ({ body }: { body: unknown }) => {
    unknownFields({ body });
    if (Value.Check(schema, body)) return;
    const details = [...Value.Errors(schema, body)].slice(0, 10).map((error) => ({ path: error.path || "/", message: error.message }));
    throw new AppError(400, "invalid_request", describeSchemaErrors(schema, body) || "invalid request body", details);
  };
}
