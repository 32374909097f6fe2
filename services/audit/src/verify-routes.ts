import { requireUser, type TokenService } from "@todo/common";
import type { Queryable } from "@todo/common/db";
import { rejectUnknownQuery } from "@todo/common";
import { Elysia, t } from "elysia";
import type { AdminCheck } from "./admin-token.ts";
import { verifyAuditChains } from "./store.ts";

const BrokenLink = t.Object({
  userId: t.String(),
  eventId: t.String({ description: "The first entry of this user's trail that does not check out" }),
  seq: t.String({ description: "Its recorded position" }),
  problem: t.Union([t.Literal("entry_altered"), t.Literal("link_broken")], {
    description: "entry_altered: its content no longer matches its hash; link_broken: it does not point at the entry before it (one was removed or inserted)",
  }),
});
const ChainReport = t.Object({
  ok: t.Boolean({ description: "true when every checked chain holds" }),
  checkedEntries: t.Integer(),
  checkedUsers: t.Integer(),
  broken: t.Array(BrokenLink, { description: "The first broken link of each broken chain" }),
});

const VerifyQuery = t.Object(
  { userId: t.Optional(t.String({ minLength: 1, maxLength: 128, description: "Check only this user's chain" })) },
  { additionalProperties: false },
);

/**
 * Checks of the audit trail's hash chains: every entry's hash is recomputed
 * and each entry must point at the one before it. The operator's route checks
 * everyone (or one user); each user may check their own trail.
 */
export function verifyRoutes(ctx: { db: Queryable; tokens: TokenService; checkAdmin: AdminCheck }) {
  return new Elysia()
    .get("/api/audit/verify", async ({ query }) => await verifyAuditChains(ctx.db, query.userId), {
      query: VerifyQuery,
      // Transform runs before validation: an anonymous caller gets 401 and learns nothing about the parameters.
      transform: [({ headers }) => ctx.checkAdmin(headers.authorization), rejectUnknownQuery(VerifyQuery)],
      response: { 200: ChainReport },
      detail: { tags: ["audit"], summary: "Check the hash chain of every user's audit trail, or of one (admin token)" },
    })
    .use(requireUser(ctx.tokens))
    .get("/api/audit/verify/mine", async ({ userId }) => await verifyAuditChains(ctx.db, userId), {
      response: { 200: ChainReport },
      detail: { tags: ["audit"], summary: "Check the hash chain of the caller's own audit trail" },
    });
}
