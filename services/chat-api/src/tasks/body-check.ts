import { AppError, describeSchemaErrors } from "@todo/common";
import type { TObject } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { rejectUnknownFields } from "@todo/common";

/**
 * A route `transform` that checks a JSON body against its schema before
 * Elysia does, answering 400 `invalid_request` in the common error shape.
 * Why not leave it to Elysia: its validation error interpolates the offending
 * value into a string, and a body such as `{"title": {"toString": 0}}` makes
 * that throw, which would surface as a 500. TypeBox's own messages never
 * print the value. Unknown fields are named first (rejectUnknownFields).
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
