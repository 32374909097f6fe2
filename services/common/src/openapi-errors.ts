/**
 * What @elysiajs/openapi generates from the routes' TypeBox schemas covers
 * their successful answers only, and a few things it writes are not valid
 * OpenAPI. `completeOpenApiDocument` fills in, for every operation, the
 * error answers the shared layers give (one body shape, `ErrorBody`), and
 * repairs what the generator gets wrong. Applied to the generated document
 * as it is served, so the routes stay the one declaration.
 */
type Json = Record<string, any>;

const ERROR_REF = { $ref: "#/components/schemas/ErrorBody" };

export const ErrorBodySchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", description: "Stable, machine-readable (e.g. invalid_request, not_found, rate_limited)" },
        message: { type: "string", description: "For people" },
        details: { description: "Per-field problems: [{ path, message }], when there are any" },
      },
    },
  },
};

const DESCRIPTIONS: Record<string, string> = {
  "400": "Malformed request: Host, path, JSON, a field that fails its schema, or a control character (named in details)",
  "401": "Missing, invalid or expired bearer token (or wrong credentials at login)",
  "404": "No such resource for this caller (another user's id answers the same)",
  "409": "Conflicts with the current state (a stale If-Match, an email already registered)",
  "413": "Request body over 64 KiB",
  "415": "A request body must be application/json",
  "422": "Well-formed but breaks a rule (a blank title, a reminder in the past, ...)",
  "429": "Too many requests; retry after the Retry-After header's seconds",
};

export interface CompletionOptions {
  /** Answers some operations give besides the shared ones, e.g. MCP's 406 when Accept lacks JSON. */
  extra?: Record<string, Record<string, Record<string, Json>>>;
}

export function completeOpenApiDocument<T extends Json>(given: T, options: CompletionOptions = {}): T {
  const document: Json = given;
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.ErrorBody ??= ErrorBodySchema;
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    for (const [method, operation] of Object.entries<Json>(item)) {
      completeOperation(path, method, operation);
      Object.assign(operation.responses, options.extra?.[path]?.[method] ?? {});
    }
  }
  repairSchemas(document);
  return given;
}

function completeOperation(path: string, method: string, operation: Json) {
  const responses: Json = (operation.responses ??= {});
  if (!Object.keys(responses).some((status) => status.startsWith("2"))) {
    responses["200"] = { description: "OK", content: { "application/json": { schema: { type: "object" } } } };
  }
  for (const [status, response] of Object.entries<Json>(responses)) {
    // A 204 has no body; the generator writes a content type "void" for it.
    if (status === "204") delete response.content;
    response.description ??= "OK";
  }
  const statuses = ["400"];
  if (!(Array.isArray(operation.security) && operation.security.length === 0) || path.endsWith("/login")) statuses.push("401");
  if (path.includes("{")) statuses.push("404");
  if (method !== "get" && method !== "head") statuses.push("409", "413", "415", "422", "429");
  for (const status of statuses) {
    responses[status] ??= { description: DESCRIPTIONS[status], content: { "application/json": { schema: ERROR_REF } } };
  }
}

/**
 * Elysia's numeric query parameters become `anyOf: [{ type: string, format:
 * integer, default: 0 }, ...]`: a default the parameter's own minimum
 * forbids. The default belongs to the route's logic, not the string form.
 */
function repairSchemas(node: unknown, inherited?: { minimum?: number; maximum?: number }) {
  if (Array.isArray(node)) {
    for (const item of node) repairSchemas(item, inherited);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const schema = node as Json;
  const bounds = { minimum: schema.minimum ?? inherited?.minimum, maximum: schema.maximum ?? inherited?.maximum };
  if (typeof schema.default === "number" || (typeof schema.default === "string" && schema.format === "integer")) {
    const value = Number(schema.default);
    if ((bounds.minimum !== undefined && value < bounds.minimum) || (bounds.maximum !== undefined && value > bounds.maximum)) {
      delete schema.default;
    }
  }
  for (const [key, value] of Object.entries(schema)) {
    repairSchemas(value, key === "anyOf" || key === "oneOf" ? bounds : undefined);
  }
}
