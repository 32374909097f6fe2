import { AppError, EVENT_TYPES, isPublishedEventType, requireUser, UUID_PATTERN, type TokenService } from "@todo/common";
import type { Queryable } from "@todo/common/db";
import { Elysia, t } from "elysia";
import { rejectUnknownQuery } from "@todo/common";
import { findCursor, listAuditEntries } from "./store.ts";

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;

const RecordedEventType = t.Union(
  EVENT_TYPES.filter(isPublishedEventType).map((type) => t.Literal(type)),
  { description: "Only events of this type" },
);

export const AuditQuerySchema = t.Object(
  {
    taskId: t.Optional(t.String({ pattern: UUID_PATTERN, description: "Only events about this task" })),
    type: t.Optional(RecordedEventType),
    after: t.Optional(t.String({ minLength: 1, maxLength: 200, description: "Event id: only events recorded after it (the previous page's next)" })),
    limit: t.Optional(t.Integer({ minimum: 1, maximum: MAX_LIMIT, description: `Default ${DEFAULT_LIMIT}` })),
  },
  { additionalProperties: false },
);

/**
 * The caller's audit trail in recorded order. Scoped to the caller: another
 * user's events are invisible, and another user's event id as `after` is
 * an unknown cursor (400), exactly like an id never recorded.
 */
export function auditRoutes(ctx: { db: Queryable; tokens: TokenService }) {
  return new Elysia().use(requireUser(ctx.tokens)).get(
    "/api/audit",
    async ({ userId, query }) => {
      let afterSeq: string | undefined;
      if (query.after !== undefined) {
        afterSeq = await findCursor(ctx.db, userId, query.after);
        if (afterSeq === undefined) {
          throw new AppError(400, "invalid_cursor", "after names no event of yours in the audit trail", [
            { path: "/after", message: "unknown event id" },
          ]);
        }
      }
      const limit = query.limit ?? DEFAULT_LIMIT;
      const page = await listAuditEntries(ctx.db, { userId, taskId: query.taskId, type: query.type, afterSeq, limit });
      return { items: page.items, next: page.more ? (page.items.at(-1)?.eventId ?? null) : null };
    },
    {
      query: AuditQuerySchema,
      transform: rejectUnknownQuery(AuditQuerySchema),
      detail: { tags: ["audit"], summary: "The caller's audit trail", description: "Follow next until it is null." },
    },
  );
}
