import { randomBytes } from "node:crypto";
import { requireUser, type TokenService } from "@todo/common";
import type { Database } from "@todo/common/db";
import { Elysia, t } from "elysia";
import type { Task } from "@todo/common";
import type { TaskService } from "../tasks/task-service.ts";
import { tasksCalendar } from "./icalendar.ts";

export interface CalendarRoutesContext {
  db: Database;
  tasks: TaskService;
  tokens: TokenService;
  now: () => Date;
}

const FEED_PREFIX = "/api/calendar/feeds/";
/** 32 random bytes, base64url: the whole credential of a feed URL. */
const SECRET = /^[A-Za-z0-9_-]{43}$/;
const MAX_FEED_TASKS = 2000;

const feedPath = (secret: string) => `${FEED_PREFIX}${secret}.ics`;

/**
 * The calendar feed: the signed-in user reads or rotates their secret feed
 * URL (a path; the page adds its own origin), and calendar apps fetch the
 * feed with the secret alone. An unknown or rotated secret is a 404 like any
 * missing page, so URLs cannot be probed.
 */
export function calendarRoutes(ctx: CalendarRoutesContext) {
  const { db, tasks, now } = ctx;
  const feedOf = async (userId: string) =>
    (await db.query<{ secret: string }>("SELECT secret FROM calendar_feeds WHERE user_id = $1", [userId]))[0]?.secret;

  const openTasks = async (userId: string): Promise<Task[]> => {
    const all: Task[] = [];
    let cursor: string | undefined;
    do {
      const page = await tasks.list(userId, { status: "pending", sort: "due", limit: 200, ...(cursor ? { cursor } : {}) });
      all.push(...page.items.filter((task) => task.dueAt));
      cursor = page.nextCursor ?? undefined;
      // Sorted by due date with undated ones last: the first undated task ends the feed.
      if (page.items.some((task) => !task.dueAt)) break;
    } while (cursor && all.length < MAX_FEED_TASKS);
    return all;
  };

  const feed = new Elysia().get(
    `${FEED_PREFIX}:file`,
    async ({ params, set }) => {
      const secret = params.file.replace(/\.ics$/, "");
      const owner = SECRET.test(secret)
        ? (await db.query<{ user_id: string }>("SELECT user_id FROM calendar_feeds WHERE secret = $1", [secret]))[0]?.user_id
        : undefined;
      if (!owner || !params.file.endsWith(".ics")) {
        set.status = 404;
        return { error: { code: "not_found", message: "no such calendar feed" } };
      }
      set.headers["content-type"] = "text/calendar; charset=utf-8";
      set.headers["cache-control"] = "private, max-age=300";
      // The secret is in the URL: keep it out of referrers.
      set.headers["referrer-policy"] = "no-referrer";
      return tasksCalendar(await openTasks(owner), now());
    },
    { params: t.Object({ file: t.String() }), detail: { tags: ["calendar"], summary: "The iCalendar feed of a secret feed URL (no login)" } },
  );

  const manage = new Elysia()
    .use(requireUser(ctx.tokens))
    .get(
      "/api/calendar/feed",
      async ({ userId }) => {
        const secret = await feedOf(userId);
        return { path: secret ? feedPath(secret) : null };
      },
      {
        response: { 200: t.Object({ path: t.Nullable(t.String()) }) },
        detail: { tags: ["calendar"], summary: "The caller's secret calendar feed URL (a path), or null before the first one" },
      },
    )
    .post(
      "/api/calendar/feed",
      async ({ userId, set }) => {
        const secret = randomBytes(32).toString("base64url");
        await db.query(
          `INSERT INTO calendar_feeds (user_id, secret, created_at) VALUES ($1, $2, $3::timestamptz)
           ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = EXCLUDED.created_at`,
          [userId, secret, now().toISOString()],
        );
        set.status = 201;
        return { path: feedPath(secret) };
      },
      {
        response: { 201: t.Object({ path: t.String() }) },
        detail: { tags: ["calendar"], summary: "Creates the caller's feed URL, or replaces it (the old URL stops working)" },
      },
    );

  return new Elysia().use(feed).use(manage);
}
