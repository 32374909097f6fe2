import { checkBody, AppError, hasAppToken, Task, TaskCreateBody } from "@todo/common";
import { Elysia, t } from "elysia";
import type { TaskService } from "../tasks/task-service.ts";

export interface InternalRoutesContext {
  tasks: TaskService;
  /** APP_API_TOKEN: what daprd sends as `dapr-api-token` on every call it makes to this app. */
  appApiToken?: string;
}

const OccurrenceBody = t.Object(
  {
    ...TaskCreateBody.properties,
    userId: t.String({ description: "Owner of the series" }),
    occurrence: t.Integer({ minimum: 0, description: "Index in the series (the anchor is 0)" }),
  },
  { additionalProperties: false },
);

const OccurrenceResult = t.Object({ task: Task, created: t.Boolean({ description: "false: the slot was already filled" }) });

/**
 * Routes for other services, reached through Dapr service invocation only:
 * the public router forwards /api and /mcp and nothing else, and nothing
 * here is in the OpenAPI document.
 *
 * With an app token configured, every /internal request must carry it as
 * `dapr-api-token` (daprd adds it when it forwards an invocation) or gets a
 * 401 before its body is validated. Without one (a local daprd run with no
 * APP_API_TOKEN) reachability is the only guard, so deployments should set
 * one; the embedded runtime always does (a random token per start).
 */
export function internalRoutes(ctx: InternalRoutesContext) {
  const { tasks, appApiToken } = ctx;
  return new Elysia()
    // A hook of these routes, not a test of the path: a path read one way by a guard and another by the
    // router (a short Host did that) cannot route around it. Transform runs before validation, so a caller
    // without the token learns nothing about the body either.
    .onTransform(({ request }) => {
      if (!hasAppToken(request.headers, appApiToken)) {
        throw new AppError(401, "unauthorized", "internal routes need the Dapr app token");
      }
    })
    .post(
      "/internal/series/:seriesId/occurrences",
      async ({ params, body, set }) => {
        const result = await tasks.createOccurrence({ ...body, seriesId: params.seriesId });
        set.status = result.created ? 201 : 200;
        return result;
      },
      {
        parse: "json",
        params: t.Object({ seriesId: t.String() }),
        body: OccurrenceBody,
        transform: checkBody(OccurrenceBody),
        response: { 200: OccurrenceResult, 201: OccurrenceResult },
        detail: {
          hide: true,
          summary: "Create occurrence N of a series (idempotent: a repeat answers 200 with the task already there)",
        },
      },
    );
}
