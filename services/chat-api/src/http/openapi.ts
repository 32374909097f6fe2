import { openapi } from "@elysiajs/openapi";

export const DOCS_PATH = "/api/docs";
/** The name routes use in `detail.security` to say they need (or, with `[]`, do not need) a token. */
export const BEARER_SCHEME = "bearerAuth";

// Only /api and /mcp are public (the public router exposes nothing else); health,
// metrics, the Dapr subscription routes and /internal stay out of the document.
const NOT_PUBLIC = /^(?!\/api\/|\/mcp(\/|$))/;

/**
 * OpenAPI JSON at /api/docs/json and a browsable reference at /api/docs.
 * Every operation requires the bearer token unless its route says
 * `detail: { security: [] }` (signup and login do).
 */
export function apiDocs() {
  return openapi({
    path: DOCS_PATH,
    specPath: `${DOCS_PATH}/json`,
    // The UI resolves a relative spec URL against /api/, so give it the absolute one.
    // A pinned UI version: "latest" from a CDN would change under people's feet.
    scalar: { url: `${DOCS_PATH}/json`, version: "1.72.1" },
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
}
