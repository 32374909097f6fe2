import { Type, type Static, type TObject, type TProperties } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";

/**
 * Reads a service's configuration from the environment through a TypeBox schema.
 * Values are converted (e.g. "8080" -> 8080) and defaults applied; anything
 * invalid fails start-up with one message naming every offending variable.
 */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join("; ")}`);
    this.name = "ConfigError";
  }
}

export function loadConfig<P extends TProperties>(
  schema: TObject<P>,
  env: Record<string, string | undefined> = process.env,
): Static<TObject<P>> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== "") raw[key] = value;
  }
  const converted = Value.Convert(schema, Value.Default(schema, raw));
  const problems = [...Value.Errors(schema, converted)].map((error) => ({
    variable: error.path.replace(/^\//, "").split("/")[0] || "(root)",
    message: error.message,
  }));
  if (problems.length > 0) throw new ConfigError(dedupe(problems));
  return converted as Static<TObject<P>>;
}

function dedupe(problems: { variable: string; message: string }[]) {
  const seen = new Set<string>();
  return problems.filter((p) => (seen.has(p.variable) ? false : (seen.add(p.variable), true)));
}

/** Settings every service shares. */
export const BaseConfig = {
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  LOG_LEVEL: Type.Union([Type.Literal("debug"), Type.Literal("info"), Type.Literal("warn"), Type.Literal("error")], {
    default: "info",
  }),
  DAPR_HTTP_ENDPOINT: Type.Optional(Type.String({ pattern: "^https?://" })),
  DAPR_HTTP_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3500 }),
  DAPR_API_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  APP_API_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  PUBSUB_NAME: Type.String({ minLength: 1, default: "pubsub" }),
  STATE_STORE: Type.String({ minLength: 1, default: "statestore" }),
  SECRET_STORE: Type.String({ minLength: 1, default: "secretstore" }),
};
