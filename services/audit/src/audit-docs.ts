import { openapi } from "@elysiajs/openapi";
import { completeOpenApiDocument } from "@todo/common";
import { Elysia } from "elysia";

export const AUDIT_SPEC_PATH = "/api/audit/docs/json";

/**
 * The audit API's own OpenAPI document (the public router sends /api/audit
 * here, in both modes); chat-api's /api/docs/json describes the rest. Only
 * /api/audit routes: subscriptions and health stay out.
 */
export function auditDocs() {
  return new Elysia({ name: "audit-docs" })
    .onAfterHandle({ as: "global" }, ({ path, response }) =>
      path === AUDIT_SPEC_PATH ? completeOpenApiDocument(response as Record<string, unknown>) : undefined,
    )
    .use(
      openapi({
        provider: null,
        specPath: AUDIT_SPEC_PATH,
        exclude: { paths: [/^(?!\/api\/audit(\/|$))/, AUDIT_SPEC_PATH] },
        documentation: {
          info: { title: "Todo audit", version: "1", description: "The caller's audit trail, and the operators' gap report (admin token)." },
          tags: [{ name: "audit", description: "Every event about the caller's tasks, in recorded order" }],
          components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
          security: [{ bearerAuth: [] }],
        },
      }),
    );
}
