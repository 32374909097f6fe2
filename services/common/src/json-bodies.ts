import { Elysia } from "elysia";
import { parsedInputs } from "./control-characters.ts";
import { AppError } from "./http-errors.ts";

/** application/json, or a JSON-based type such as application/cloudevents+json (daprd's deliveries). */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;

/**
 * Every body this system takes is JSON. Without this check a body sent as
 * text/plain or a form was parsed as JSON anyway by routes that force it,
 * so a browser form on another site could post one without a preflight.
 * A request with a body and another Content-Type gets 415.
 */
export function jsonBodiesOnly() {
  // onRequest hooks run for every request of the app that uses this, before routing.
  return new Elysia({ name: "json-bodies" })
    .onTransform({ as: "global" }, function (...args: unknown[]) {
      const { body } = parsedInputs(args[0]);
      // Every body a route here parses is an object; an array or a bare value slipped past all-optional schemas.
      if (body === undefined || (typeof body === "object" && body !== null && !Array.isArray(body))) return;
      throw new AppError(400, "invalid_body", "the request body must be a JSON object");
    })
    .onRequest(({ request }) => {
    if (!carriesBody(request)) return;
    const type = request.headers.get("content-type")?.split(";")[0]?.trim() ?? "";
    if (JSON_MEDIA_TYPE.test(type)) return;
    throw new AppError(
      415,
      "unsupported_media_type",
      type ? `Content-Type ${type} is not accepted; send application/json` : "a request body needs Content-Type: application/json",
      undefined,
      { accept: "application/json" },
    );
  });
}

function carriesBody(request: Request): boolean {
  if (request.method === "GET" || request.method === "HEAD") return false;
  const length = request.headers.get("content-length");
  if (length !== null) return Number(length) > 0;
  return request.headers.has("transfer-encoding") || request.body !== null;
}
