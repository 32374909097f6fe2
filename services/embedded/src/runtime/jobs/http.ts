import { daprError, noContent } from "../errors.ts";
import { parseJobRequest } from "./job-request.ts";
import type { JobScheduler, JobView } from "./scheduler.ts";

/**
 * `/v1.0-alpha1/jobs/{name}` and `/v1.0/jobs/{name}` for the sidecar of `appId`
 * (the job's owner). Statuses and error codes follow daprd 1.16+ with the
 * Scheduler, except where noted:
 * - body not protobuf JSON of a Job: 400 ERR_MALFORMED_REQUEST;
 * - `name` in the body: 400 DAPR_SCHEDULER_JOB_NAME;
 * - empty name or one containing "|": 400 DAPR_SCHEDULER_JOB_NAME_EMPTY;
 * - neither schedule nor dueTime: 400 DAPR_SCHEDULER_SCHEDULE_EMPTY;
 * - invalid schedule/dueTime/ttl/repeats: 400 DAPR_SCHEDULER_SCHEDULE_JOB (daprd
 *   relays the Scheduler's rejection with the same code but status 500; a
 *   caller's mistake is a 4xx here);
 * - name taken without `overwrite: true`: 409 DAPR_SCHEDULER_SCHEDULE_JOB;
 * - GET of a missing job: 500 DAPR_SCHEDULER_GET_JOB, as daprd answers;
 * - DELETE of a missing job: 204.
 */
export async function handleJobsApi(scheduler: JobScheduler, appId: string, request: Request, name: string): Promise<Response> {
  switch (request.method) {
    case "POST":
      return scheduleJob(scheduler, appId, request, name);
    case "GET": {
      const job = scheduler.get(appId, name);
      if (!job) return daprError(500, "DAPR_SCHEDULER_GET_JOB", `failed to get job due to: job not found: ${name}`);
      return Response.json(jobBody(job));
    }
    case "DELETE":
      scheduler.delete(appId, name);
      return noContent();
    default:
      return new Response("Method Not Allowed", { status: 405, headers: { allow: "POST, GET, DELETE" } });
  }
}

async function scheduleJob(scheduler: JobScheduler, appId: string, request: Request, urlName: string): Promise<Response> {
  const text = await request.text();
  let body: unknown = {};
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return daprError(400, "ERR_MALFORMED_REQUEST", `failed deserializing HTTP body: ${reason}`);
    }
  }
  const parsed = parseJobRequest(body);
  if (!parsed.ok) {
    return parsed.kind === "name-in-body"
      ? daprError(400, "DAPR_SCHEDULER_JOB_NAME", parsed.message)
      : daprError(400, "ERR_MALFORMED_REQUEST", `failed deserializing HTTP body: ${parsed.message}`);
  }
  // daprd trims the URL name on create and refuses "|", its key separator.
  const name = urlName.trim();
  if (name === "" || name.includes("|")) return daprError(400, "DAPR_SCHEDULER_JOB_NAME_EMPTY", "Name is empty");
  const job = parsed.request;
  if (job.schedule === undefined && job.dueTime === undefined) {
    return daprError(400, "DAPR_SCHEDULER_SCHEDULE_EMPTY", "Schedule is empty");
  }
  const outcome = scheduler.schedule(appId, name, job);
  if (outcome.ok) return noContent();
  const status = outcome.reason === "exists" ? 409 : 400;
  return daprError(status, "DAPR_SCHEDULER_SCHEDULE_JOB", `failed to schedule job due to: ${outcome.message}`);
}

/** daprd's GET body: protobuf JSON of the Job, `data` as a packed google.protobuf.Value. */
function jobBody(job: JobView): Record<string, unknown> {
  const body: Record<string, unknown> = { name: job.name };
  if (job.schedule !== undefined) body.schedule = job.schedule;
  if (job.repeats !== undefined) body.repeats = job.repeats;
  if (job.dueTime !== undefined) body.dueTime = job.dueTime;
  if (job.ttl !== undefined) body.ttl = job.ttl;
  if (job.dataJson !== undefined) {
    body.data = { "@type": "type.googleapis.com/google.protobuf.Value", value: JSON.parse(job.dataJson) as unknown };
  }
  if (job.failurePolicy !== undefined) body.failurePolicy = job.failurePolicy;
  return body;
}
