import { AppError } from "@todo/common";
import type { TObject } from "@sinclair/typebox";

/**
 * A route `transform` hook that answers 400 when a JSON body carries fields its
 * schema does not declare. Elysia would otherwise drop them silently, so a typo
 * (`timezone` for `timeZone`) would look like success while changing nothing.
 * Runs before schema validation, on the body as parsed.
 */
export function rejectUnknownFields(schema: TObject) {
  const allowed = new Set(Object.keys(schema.properties));
  return ({ body }: { body: unknown }) => {
    if (typeof body !== "object" || body === null || Array.isArray(body)) return;
    const unknown = Object.keys(body).filter((key) => !allowed.has(key));
    if (unknown.length === 0) return;
    const details = unknown.map((key) => ({ path: `/${key}`, message: `unknown field '${key}'` }));
    throw new AppError(400, "invalid_request", `unknown field${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`, details);
  };
}
