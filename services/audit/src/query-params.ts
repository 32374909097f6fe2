import { AppError } from "@todo/common";

/**
 * A route `transform` hook answering 400 for query parameters the schema does
 * not declare: Elysia would drop them, so a typo (`task=` for `taskId=`)
 * would silently widen the result instead of failing.
 */
export function rejectUnknownQuery(schema: { properties: Record<string, unknown> }) {
  const allowed = new Set(Object.keys(schema.properties));
  return ({ query }: { query: Record<string, unknown> }) => {
    const unknown = Object.keys(query).filter((key) => !allowed.has(key));
    if (unknown.length === 0) return;
    throw new AppError(
      400,
      "invalid_request",
      `unknown query parameter${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`,
      unknown.map((key) => ({ path: `/${key}`, message: `unknown query parameter '${key}'` })),
    );
  };
}
