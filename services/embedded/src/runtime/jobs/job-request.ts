import { parseFailurePolicy, toUint32, type FailurePolicyJson } from "./failure-policy.ts";
import { parsePointInTime } from "./point-in-time.ts";
import { parseSchedule } from "./schedule.ts";

/** What a job is asked to be, as GET echoes it back (without its name). */
export interface JobDefinition {
  schedule?: string;
  dueTime?: string;
  repeats?: number;
  ttl?: string;
  /** The `data` value as JSON text, exactly what a trigger sends; absent = no data. */
  dataJson?: string;
  failurePolicy?: FailurePolicyJson;
}

/** A job as POSTed to /v1.0-alpha1/jobs/{name}, type-checked but not yet validated. */
export interface JobRequest extends JobDefinition {
  overwrite?: boolean;
}

export type JobRequestParse =
  | { ok: true; request: JobRequest }
  /** daprd's ERR_MALFORMED_REQUEST: the body is not the protobuf JSON of a Job. */
  | { ok: false; kind: "malformed"; message: string }
  /** daprd's DAPR_SCHEDULER_JOB_NAME: the name belongs in the URL only. */
  | { ok: false; kind: "name-in-body"; message: string };

/**
 * Reads the body the way daprd's protobuf JSON decoder does: unknown fields are
 * ignored, snake_case names are accepted too, `null` means unset, and a field
 * of the wrong type makes the whole request malformed.
 */
export function parseJobRequest(body: unknown): JobRequestParse {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return malformed("the request body must be a JSON object");
  }
  const field = (camel: string, snake?: string): unknown => {
    const record = body as Record<string, unknown>;
    const value = record[camel] ?? (snake === undefined ? undefined : record[snake]);
    return value === null ? undefined : value;
  };
  const request: JobRequest = {};

  for (const [key, camel, snake] of [
    ["schedule", "schedule", undefined],
    ["dueTime", "dueTime", "due_time"],
    ["ttl", "ttl", undefined],
  ] as const) {
    const value = field(camel, snake);
    if (value === undefined) continue;
    if (typeof value !== "string") return malformed(`${camel} must be a string`);
    request[key] = value;
  }

  const repeats = field("repeats");
  if (repeats !== undefined) {
    const n = toUint32(repeats);
    if (n === undefined) return malformed("repeats must be a non-negative integer");
    request.repeats = n;
  }

  // `data` is a google.protobuf.Value: any JSON, null included.
  const record = body as Record<string, unknown>;
  if ("data" in record && record.data !== undefined) request.dataJson = JSON.stringify(record.data);

  const overwrite = field("overwrite");
  if (overwrite !== undefined) {
    if (typeof overwrite !== "boolean") return malformed("overwrite must be a boolean");
    request.overwrite = overwrite;
  }

  const failurePolicy = field("failurePolicy", "failure_policy");
  if (failurePolicy !== undefined) {
    const parsed = parseFailurePolicy(failurePolicy);
    if (!parsed.ok) return malformed(parsed.error);
    request.failurePolicy = parsed.json;
  }

  const name = field("name");
  if (name !== undefined && typeof name !== "string") return malformed("name must be a string");
  if (typeof name === "string" && name !== "") {
    return { ok: false, kind: "name-in-body", message: "Set the job name in the url only" };
  }
  return { ok: true, request };
}

/** When a validated job first fires and when it expires (epoch ms). */
export interface JobPlan {
  createdAt: number;
  /** Undefined when the schedule has no run before the job expires. */
  firstFireAt?: number;
  expiresAt?: number;
}

export type JobPlanResult = { ok: true; plan: JobPlan } | { ok: false; error: string };

/**
 * The Scheduler's checks and start times (go-etcd-cron's builder): dueTime is
 * the first fire, else the schedule's first run after now; ttl counts from
 * dueTime when there is one, else from now.
 */
export function planJob(request: JobRequest, now: number): JobPlanResult {
  const { schedule, dueTime, repeats, ttl } = request;
  if (schedule === undefined && dueTime === undefined) return fail("job must have either a due time or a schedule");
  if (schedule === undefined && repeats !== undefined && repeats > 1) return fail("job must have a schedule to repeat");
  if (repeats !== undefined && repeats < 1) return fail("defined repeats must be greater than 0");
  if (schedule === undefined && ttl !== undefined) return fail("job must have a schedule to have a ttl");

  const parsedSchedule = schedule === undefined ? undefined : parseSchedule(schedule);
  if (parsedSchedule && !parsedSchedule.ok) return fail(`invalid schedule "${schedule}": ${parsedSchedule.error}`);

  let beginAt: number | undefined;
  if (dueTime !== undefined) {
    beginAt = parsePointInTime(dueTime, now);
    if (beginAt === undefined) return fail(`due time format not recognized: "${dueTime}"`);
  }

  let expiresAt: number | undefined;
  if (ttl !== undefined) {
    expiresAt = parsePointInTime(ttl, beginAt ?? now);
    if (expiresAt === undefined) return fail(`ttl format not recognized: "${ttl}"`);
    if (beginAt !== undefined && beginAt > expiresAt) return fail("ttl must be greater than due time");
  }

  let firstFireAt = beginAt ?? parsedSchedule?.schedule.next(now);
  if (firstFireAt === undefined) return fail(`schedule "${schedule}" has no future run`);
  if (firstFireAt !== undefined && expiresAt !== undefined && firstFireAt > expiresAt) firstFireAt = undefined;
  const plan: JobPlan = { createdAt: now };
  if (firstFireAt !== undefined) plan.firstFireAt = firstFireAt;
  if (expiresAt !== undefined) plan.expiresAt = expiresAt;
  return { ok: true, plan };
}

function malformed(message: string): JobRequestParse {
  return { ok: false, kind: "malformed", message };
}

function fail(error: string): JobPlanResult {
  return { ok: false, error };
}
