import { checkBody, rejectUnknownQuery, requireUser, TaskCreateBody, TaskPatchBody, type TokenService } from "@todo/common";
import { Elysia, t } from "elysia";
import { takeWriteOrThrow, type WriteRateLimiter } from "../http/rate-limit.ts";
import { etagOf, expectedVersionOf } from "./if-match.ts";
import {
  IfMatchHeaders,
  TaskIdParams,
  TaskJson,
  TaskListQuerySchema,
  TaskPageJson,
} from "./task-schemas.ts";
import type { TaskService } from "./task-service.ts";

const IF_MATCH_NOTE = "With If-Match, 409 when the task is no longer at that version.";

export interface TaskRoutesContext {
  tasks: TaskService;
  tokens: TokenService;
  rateLimiter: WriteRateLimiter;
}

/**
 * The caller's tasks over REST. Every route needs a bearer token and sees
 * only the caller's tasks: another user's task id answers 404 exactly like a
 * missing one. Writes spend the caller's rate budget (429 with Retry-After).
 * Unknown body fields and query parameters are a 400, so a typo never looks
 * like success. Task responses carry the version as ETag; every change honours If-Match.
 */
export function taskRoutes(ctx: TaskRoutesContext) {
  const { tasks, rateLimiter } = ctx;
  const spendWrite = (userId: string) => takeWriteOrThrow(rateLimiter, userId);
  const withEtag = <T extends { version: number }>(set: { headers: Record<string, string | number> }, task: T): T => {
    set.headers.etag = etagOf(task.version);
    return task;
  };
  const detail = (summary: string, description?: string) => ({ tags: ["tasks"], summary, description });

  return new Elysia()
    .use(requireUser(ctx.tokens))
    .get(
      "/api/tasks",
      ({ userId, query }) => {
        const { tag, ...rest } = query;
        return tasks.list(userId, { ...rest, tags: tag });
      },
      {
        query: TaskListQuerySchema,
        transform: rejectUnknownQuery(TaskListQuerySchema),
        response: { 200: TaskPageJson },
        detail: detail("List, filter, search and sort tasks", "Keyset pagination: follow nextCursor until it is null."),
      },
    )
    .post(
      "/api/tasks",
      async ({ userId, body, set }) => {
        spendWrite(userId);
        const task = await tasks.create(userId, body);
        set.status = 201;
        set.headers.location = `/api/tasks/${task.id}`;
        return withEtag(set, task);
      },
      {
        parse: "json",
        body: TaskCreateBody,
        transform: checkBody(TaskCreateBody),
        response: { 201: TaskJson },
        detail: detail("Create a task"),
      },
    )
    .get("/api/tasks/:id", async ({ userId, params, set }) => withEtag(set, await tasks.get(userId, params.id)), {
      params: TaskIdParams,
      response: { 200: TaskJson },
      detail: detail("One task"),
    })
    .patch(
      "/api/tasks/:id",
      async ({ userId, params, body, headers, set }) => {
        spendWrite(userId);
        const expectedVersion = expectedVersionOf(headers["if-match"]);
        return withEtag(set, await tasks.update(userId, params.id, body, expectedVersion));
      },
      {
        parse: "json",
        params: TaskIdParams,
        headers: IfMatchHeaders,
        body: TaskPatchBody,
        transform: checkBody(TaskPatchBody),
        response: { 200: TaskJson },
        detail: detail("Change a task", `Only the fields given change. ${IF_MATCH_NOTE}`),
      },
    )
    .post(
      "/api/tasks/:id/complete",
      async ({ userId, params, headers, set }) => {
        spendWrite(userId);
        return withEtag(set, await tasks.complete(userId, params.id, expectedVersionOf(headers["if-match"])));
      },
      {
        params: TaskIdParams,
        headers: IfMatchHeaders,
        response: { 200: TaskJson },
        detail: detail("Complete a task", `Idempotent: completing a completed task changes nothing. ${IF_MATCH_NOTE}`),
      },
    )
    .post(
      "/api/tasks/:id/reopen",
      async ({ userId, params, headers, set }) => {
        spendWrite(userId);
        return withEtag(set, await tasks.reopen(userId, params.id, expectedVersionOf(headers["if-match"])));
      },
      {
        params: TaskIdParams,
        headers: IfMatchHeaders,
        response: { 200: TaskJson },
        detail: detail("Reopen a completed task", `Idempotent: reopening a pending task changes nothing. ${IF_MATCH_NOTE}`),
      },
    )
    .delete(
      "/api/tasks/:id",
      async ({ userId, params, headers, set }) => {
        spendWrite(userId);
        await tasks.remove(userId, params.id, expectedVersionOf(headers["if-match"]));
        set.status = 204;
      },
      { params: TaskIdParams, headers: IfMatchHeaders, response: { 204: t.Void() }, detail: detail("Delete a task", IF_MATCH_NOTE) },
    );
}

