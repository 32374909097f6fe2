import type { ServiceDeps } from "../service-app.ts";

/** Shorter keys make HS256 tokens guessable; every service refuses to start on one. */
const MIN_SIGNING_KEY_LENGTH = 32;

/** The key user tokens are signed and verified with: the secret `jwt-secret` of the service's secret store. */
export async function readSigningKey(deps: Pick<ServiceDeps, "dapr" | "components">): Promise<string> {
  const secret = await deps.dapr.getSecret(deps.components.secretStore, "jwt-secret");
  const value = secret["jwt-secret"];
  if (!value || value.length < MIN_SIGNING_KEY_LENGTH) {
    throw new Error(`secret jwt-secret is missing or shorter than ${MIN_SIGNING_KEY_LENGTH} characters`);
  }
  return value;
}
