import { openapi } from "@elysiajs/openapi";
import { completeOpenApiDocument } from "@todo/common";
import { Elysia } from "elysia";
import { DOCS_VIEWER_CSS, DOCS_VIEWER_PAGE, DOCS_VIEWER_SCRIPT } from "./docs-viewer.ts";

export const DOCS_PATH = "/api/docs";
const SPEC_PATH = `${DOCS_PATH}/json`;

const jsonRpcAnswer = (description: string) => ({ description, content: { "application/json": { schema: { type: "object" } } } });
/** Answers particular to one operation, beyond the shared ones. */
const EXTRA_ANSWERS = {
  "/api/chat": { post: { "404": { description: "No such conversation of the caller", content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } } } } },
  "/mcp": {
    post: {
      "202": { description: "A JSON-RPC notification or response was accepted (no body)" },
      "406": jsonRpcAnswer("Accept must list application/json and text/event-stream (MCP Streamable HTTP)"),
    },
  },
};
/** The name routes use in `detail.security` to say they need (or, with `[]`, do not need) a token. */
export const BEARER_SCHEME = "bearerAuth";

// Only /api and /mcp are public (the public router exposes nothing else); health,
// metrics, the Dapr subscription routes and /internal stay out of the document.
const NOT_PUBLIC = /^(?!\/api\/|\/mcp(\/|$))/;

/**
 * OpenAPI JSON at /api/docs/json and a browsable reference at /api/docs,
 * its script and style served from here too (no CDN).
 * Every operation requires the bearer token unless its route says
 * `detail: { security: [] }` (signup and login do).
 */
export function apiDocs() {
  const docs = openapi({
    path: DOCS_PATH,
    specPath: SPEC_PATH,
    // The plugin's viewers load their script from a CDN; ours is served from here (docs-viewer.ts).
    provider: null,
    exclude: { paths: [NOT_PUBLIC] },
    documentation: {
      info: {
        title: "Todo chat-api",
        version: "1",
        description:
          "Accounts and tasks. Errors are `{ \"error\": { \"code\", \"message\", \"details\"? } }`; " +
          "writes are rate limited per user (429 with Retry-After); request bodies are limited to 64 KiB (413).",
      },
      tags: [
        { name: "auth", description: "Sign up, log in, the caller's account" },
        { name: "tasks", description: "The caller's tasks" },
      ],
      components: {
        securitySchemes: { [BEARER_SCHEME]: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      },
      security: [{ [BEARER_SCHEME]: [] }],
    },
  });
  const asset = (body: string, type: string) => () =>
    new Response(body, { headers: { "content-type": `${type}; charset=utf-8`, "cache-control": "no-cache" } });
  return new Elysia({ name: "api-docs" })
    // The generated document lists successful answers only: add the shared error answers and repair it as served.
    .onAfterHandle({ as: "global" }, ({ path, response }) =>
      path === SPEC_PATH ? completeOpenApiDocument(response as Record<string, unknown>, { extra: EXTRA_ANSWERS }) : undefined,
    )
    .use(docs)
    .get(DOCS_PATH, asset(DOCS_VIEWER_PAGE, "text/html"), { detail: { hide: true } })
    .get(`${DOCS_PATH}/viewer.js`, asset(DOCS_VIEWER_SCRIPT, "text/javascript"), { detail: { hide: true } })
    .get(`${DOCS_PATH}/viewer.css`, asset(DOCS_VIEWER_CSS, "text/css"), { detail: { hide: true } });
}
