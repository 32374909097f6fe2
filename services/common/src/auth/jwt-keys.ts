import { DaprError } from "../dapr/errors.ts";
import type { DaprClient } from "../dapr/types.ts";
import type { JwtKeys } from "./tokens.ts";

/** The secret that signs user tokens, and the one it replaced while a key rollover lasts. */
export const JWT_SECRET = "jwt-secret";
export const PREVIOUS_JWT_SECRET = "jwt-secret-previous";

/**
 * The JWT keys from the secret store. `jwt-secret-previous` is optional: it
 * exists only during a rollover (set it to the old key, `jwt-secret` to the
 * new one, restart; delete it once the old tokens have expired, after 7
 * days). A store that does not have it, or does not let this app read it,
 * means no rollover; any other failure stops the start-up, so a flaky read
 * never silently logs people out.
 */
export async function readJwtKeys(dapr: DaprClient, secretStore: string): Promise<JwtKeys> {
  const current = (await dapr.getSecret(secretStore, JWT_SECRET))[JWT_SECRET];
  if (!current || current.length < 32) throw new Error(`secret ${JWT_SECRET} is missing or shorter than 32 characters`);
  const previous = await readOptionalSecret(dapr, secretStore, PREVIOUS_JWT_SECRET);
  return previous ? { current, previous } : { current };
}

async function readOptionalSecret(dapr: DaprClient, secretStore: string, name: string): Promise<string | undefined> {
  try {
    return (await dapr.getSecret(secretStore, name))[name] || undefined;
  } catch (error) {
    if (error instanceof DaprError && (error.status === 403 || error.status === 404 || /not found/i.test(error.message))) return undefined;
    throw error;
  }
}
