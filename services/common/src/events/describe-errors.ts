import type { TSchema } from "@sinclair/typebox";
import { Value, type ValueError } from "@sinclair/typebox/value";

/** The first few schema violations as `path: message`, e.g. `/data/task/title: Expected string length less or equal to 200`. */
export function describeSchemaErrors(schema: TSchema, value: unknown, pathPrefix = "", limit = 3): string {
  const lines: string[] = [];
  for (const error of Value.Errors(schema, value)) {
    lines.push(`${pathPrefix + error.path || "/"}: ${explain(error)}`);
    if (lines.length >= limit) break;
  }
  return lines.join("; ");
}

/** A union says only "Expected union value"; name what each option expected instead (e.g. a date-time or null). */
function explain(error: ValueError): string {
  const options = error.errors.map((option) => option.First()).filter((option) => option !== undefined);
  return options.length > 0 ? options.map(explain).join(" or ") : described(error);
}

/** "Expected RFC 3339 date-time with offset" reads better than the regular expression behind it. */
function described(error: ValueError): string {
  const description: unknown = error.schema.description;
  return typeof description === "string" && typeof error.value === "string" ? `Expected ${description}` : error.message;
}
