import { AppError, checkBody, errorBody, hasAppToken, type Logger } from "@todo/common";
import { Elysia, t } from "elysia";
import { ReminderJobData } from "./reminder-job.ts";
import type { Reminders } from "./reminders.ts";

export interface JobRouteContext {
  reminders: Reminders;
  logger: Logger;
  /** APP_API_TOKEN: daprd sends it as `dapr-api-token` with every job trigger. */
  appApiToken?: string;
}

/**
 * `POST /job/<reminderId>`: daprd's trigger for a reminder's job, with the
 * job data as the body. daprd reads 2xx (and 404) as done and anything else
 * as a failure for the job's failure policy, so a stale reminder answers 200
 * and only a transient failure answers 500.
 */
export function jobRoute(ctx: JobRouteContext) {
  const { reminders, appApiToken } = ctx;
  return new Elysia()
    // A hook of this route, not a test of the path (a path read one way by a guard and another by the router
    // once let callers around it); before validation, so a caller without the token learns nothing else.
    .onTransform(({ request }) => {
      if (!hasAppToken(request.headers, appApiToken)) {
        throw new AppError(401, "unauthorized", "job triggers need the Dapr app token");
      }
    })
    .post(
      "/job/:name",
      async ({ params, body, request, set }) => {
        const logger = ctx.logger.child({ job: params.name, taskId: body.taskId });
        if (params.name !== body.reminderId) {
          throw new AppError(400, "invalid_job", `job ${params.name} carries reminder ${body.reminderId}`);
        }
        try {
          const result = await reminders.reminderDue(body, logger, request.headers.get("traceparent") ?? undefined);
          switch (result.outcome) {
            case "published":
              logger.info("reminder triggered", { eventId: result.eventId, latenessMs: result.latenessMs });
              return result;
            case "stale":
              logger.info("stale reminder; nothing published", { reason: result.reason });
              return result;
            case "retry":
              logger.warn("cannot tell whether the reminder is current yet; the job will retry", { reason: result.reason });
              set.status = 500;
              return errorBody("retry", `reminder state not ready: ${result.reason}`);
          }
        } catch (error) {
          logger.error("reminder trigger failed; the job will retry", { error });
          set.status = 500;
          return errorBody("unavailable", "reminder could not be fired");
        }
      },
      { parse: "json", params: t.Object({ name: t.String() }), body: ReminderJobData, transform: checkBody(ReminderJobData) },
    );
}
