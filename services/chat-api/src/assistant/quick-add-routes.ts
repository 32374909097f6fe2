import { checkBody, AppError, Priority, requireUser, SINGLE_LINE_TEXT_PATTERN, type TokenService } from "@todo/common";
import type { Database } from "@todo/common/db";
import { Elysia, t } from "elysia";
import { findUserById } from "../auth/user-store.ts";
import { parseTaskLine } from "./intent-engine.ts";

export interface QuickAddRoutesContext {
  db: Database;
  tokens: TokenService;
  now?: () => Date;
}

/** A quick-add line is one line of text, not a document. */
export const MAX_LINE_LENGTH = 500;

const ParseBody = t.Object(
  {
    text: t.String({
      minLength: 1,
      maxLength: MAX_LINE_LENGTH,
      pattern: SINGLE_LINE_TEXT_PATTERN,
      description: 'One line, e.g. "Pay rent tomorrow 9am #home !high"; no control characters or bidirectional overrides',
    }),
  },
  { additionalProperties: false },
);

const ParsedTask = t.Object(
  {
    title: t.String(),
    priority: t.Optional(Priority),
    tags: t.Optional(t.Array(t.String())),
    dueAt: t.Optional(t.String({ description: "UTC instant" })),
    remindAt: t.Optional(t.String({ description: "UTC instant" })),
    recurrence: t.Optional(t.String({ description: "RRULE" })),
    words: t.Record(t.String(), t.String(), {
      description: 'Which words of the line filled which field, e.g. { "title": "Pay rent", "dueAt": "tomorrow 9am", "tags": "#home" }; not part of the task',
    }),
  },
  { description: "What the line would create: without `words`, a body for POST /api/tasks" },
);

/**
 * Preview of the board's quick add: the chat engine reads the line in the
 * caller's time zone and answers the task fields it would create, writing
 * nothing. The site shows them and then POSTs them to /api/tasks unchanged,
 * so what the user saw is what is created.
 */
export function quickAddRoutes(ctx: QuickAddRoutesContext) {
  const now = ctx.now ?? (() => new Date());
  return new Elysia().use(requireUser(ctx.tokens)).post(
    "/api/tasks/parse",
    async ({ userId, body }) => {
      const user = await findUserById(ctx.db, userId);
      const { title, input, words } = parseTaskLine(body.text, { now: now(), timeZone: user?.timeZone ?? "UTC" });
      if (!title) throw new AppError(422, "no_title", "the line has no title once its date, tags and priority are taken out");
      return { ...input, words } as typeof ParsedTask.static;
    },
    {
      parse: "json",
      body: ParseBody,
      transform: checkBody(ParseBody),
      response: { 200: ParsedTask },
      detail: {
        tags: ["tasks"],
        summary: "Read a quick-add line into task fields (writes nothing)",
        description:
          "The chat assistant's parser: dates and times anywhere (English, Roman Urdu, Urdu script) in the caller's profile time zone, recurrence (every monday, har roz), #tag / tag it x, !high / p1 / urgent / not urgent. `words` says which words became which field.",
      },
    },
  );
}
