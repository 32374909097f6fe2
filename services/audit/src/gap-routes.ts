import type { Database } from "@todo/common/db";
import { Elysia, t } from "elysia";
import type { AdminCheck } from "./admin-token.ts";
import { rejectUnknownQuery } from "@todo/common";
import { findAuditGaps } from "./store.ts";

/** How long after its publish an event may still be on its way to the audit trail. */
export const DEFAULT_GRACE_SECONDS = 5;

const GapQuerySchema = t.Object(
  {
    graceSeconds: t.Optional(
      t.Integer({ minimum: 0, maximum: 86_400, description: `Skip rows published less than this long ago (default ${DEFAULT_GRACE_SECONDS})` }),
    ),
  },
  { additionalProperties: false },
);

/**
 * Operator check that the outbox and the audit trail agree: every event
 * chat-api committed and published is recorded. The answer must stay empty.
 */
export function gapRoutes(ctx: { db: Database; checkAdmin: AdminCheck }) {
  return new Elysia().get(
    "/api/audit/gaps",
    async ({ query }) => await findAuditGaps(ctx.db, query.graceSeconds ?? DEFAULT_GRACE_SECONDS),
    {
      query: GapQuerySchema,
      // Transform runs before validation: an anonymous caller gets 401 and learns nothing about the parameters.
      transform: [({ headers }) => ctx.checkAdmin(headers.authorization), rejectUnknownQuery(GapQuerySchema)],
      detail: { tags: ["audit"], summary: "Published events missing from the audit trail (admin token)" },
    },
  );
}
