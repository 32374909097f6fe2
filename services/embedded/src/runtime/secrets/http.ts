import { daprError } from "../errors.ts";
import type { SecretStore } from "./secret-store.ts";

export interface SecretsApiContext {
  /** Configured secret store names (default ["secretstore"]). */
  stores: string[];
}

/**
 * `GET /v1.0/secrets/{store}/{name}` and `GET /v1.0/secrets/{store}/bulk` as
 * daprd serves them with a local.file store. `path` is the URL path after
 * `/v1.0/secrets/`, split on "/" and URI-decoded. Values never reach a log.
 */
export async function handleSecretsApi(secrets: SecretStore, ctx: SecretsApiContext, request: Request, path: string[]): Promise<Response> {
  const [storeName, name, ...rest] = path;
  if (!storeName || !name || rest.length > 0) {
    return new Response("404 page not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  if (request.method.toUpperCase() !== "GET") return new Response(null, { status: 405 });

  if (ctx.stores.length === 0) {
    return daprError(500, "ERR_SECRET_STORES_NOT_CONFIGURED", "secret store is not configured");
  }
  // daprd answers an unknown secret store with 401 (its docs say 400).
  if (!ctx.stores.includes(storeName)) {
    return daprError(401, "ERR_SECRET_STORE_NOT_FOUND", `failed finding secret store with key ${storeName}`);
  }

  // The route wins over a secret named "bulk", as in daprd.
  if (name === "bulk") {
    const all = secrets.bulk();
    const body: Record<string, Record<string, string>> = {};
    for (const [secretName, value] of Object.entries(all)) body[secretName] = { [secretName]: value };
    return Response.json(body);
  }

  const value = secrets.get(name);
  // local.file and kubernetes stores fail a missing secret (500), not the documented 204.
  if (value === undefined) {
    return daprError(500, "ERR_SECRET_GET", `failed getting secret with key ${name} from secret store ${storeName}: secret ${name} not found`);
  }
  return Response.json({ [name]: value });
}
