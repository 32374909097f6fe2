import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { waitFor } from "@todo/testkit";
import { handleJobsApi } from "./http.ts";
import type { JobScheduler } from "./scheduler.ts";
import { createJobsHarness, type JobsHarness } from "./jobs.fixture.ts";

let harness: JobsHarness;
let scheduler: JobScheduler;

beforeEach(() => {
  harness = createJobsHarness();
  scheduler = harness.scheduler();
});

afterEach(async () => {
  await harness.cleanup();
});

function call(method: string, name: string, body?: unknown, appId = "notification", raw?: string) {
  const init: RequestInit = { method };
  if (raw !== undefined) init.body = raw;
  else if (body !== undefined) init.body = JSON.stringify(body);
  const request = new Request(`http://localhost/v1.0-alpha1/jobs/${encodeURIComponent(name)}`, init);
  return handleJobsApi(scheduler, appId, request, name);
}

async function errorOf(response: Response) {
  return { status: response.status, ...((await response.json()) as { errorCode: string; message: string }) };
}

describe("POST /jobs/{name}", () => {
  test("schedules a job: 204 without a body", async () => {
    const response = await call("POST", "reminder-1", { dueTime: "1h", data: { taskId: "t1" } });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
  });

  test("an existing name without overwrite is 409 and keeps the first job", async () => {
    expect((await call("POST", "r", { dueTime: "1h", data: 1 })).status).toBe(204);
    const conflict = await errorOf(await call("POST", "r", { dueTime: "2h", data: 2 }));
    expect(conflict).toMatchObject({ status: 409, errorCode: "DAPR_SCHEDULER_SCHEDULE_JOB" });
    expect(await (await call("GET", "r")).json()).toMatchObject({ dueTime: "1h", data: { value: 1 } });
  });

  test("overwrite: true replaces the job", async () => {
    await call("POST", "r", { dueTime: "1h", data: 1 });
    expect((await call("POST", "r", { schedule: "@daily", data: 2, overwrite: true })).status).toBe(204);
    const job = await (await call("GET", "r")).json();
    expect(job).toMatchObject({ schedule: "@daily", data: { value: 2 } });
    expect(job).not.toHaveProperty("dueTime");
  });

  test("a name in the body is 400 DAPR_SCHEDULER_JOB_NAME", async () => {
    expect(await errorOf(await call("POST", "r", { name: "r", dueTime: "1h" }))).toMatchObject({
      status: 400,
      errorCode: "DAPR_SCHEDULER_JOB_NAME",
    });
  });

  test("neither schedule nor dueTime is 400 DAPR_SCHEDULER_SCHEDULE_EMPTY, also for an empty body", async () => {
    expect(await errorOf(await call("POST", "r", { data: 1 }))).toMatchObject({ status: 400, errorCode: "DAPR_SCHEDULER_SCHEDULE_EMPTY" });
    expect(await errorOf(await call("POST", "r", undefined))).toMatchObject({ status: 400, errorCode: "DAPR_SCHEDULER_SCHEDULE_EMPTY" });
  });

  test("a name with | is refused", async () => {
    expect(await errorOf(await call("POST", "a|b", { dueTime: "1h" }))).toMatchObject({ status: 400, errorCode: "DAPR_SCHEDULER_JOB_NAME_EMPTY" });
  });

  test("malformed JSON or wrongly typed fields are 400 ERR_MALFORMED_REQUEST", async () => {
    expect(await errorOf(await call("POST", "r", undefined, undefined, "{not json"))).toMatchObject({ status: 400, errorCode: "ERR_MALFORMED_REQUEST" });
    expect(await errorOf(await call("POST", "r", { dueTime: 5 }))).toMatchObject({ status: 400, errorCode: "ERR_MALFORMED_REQUEST" });
    expect(await errorOf(await call("POST", "r", { dueTime: "1h", failurePolicy: { constant: { interval: "2m" } } }))).toMatchObject({
      status: 400,
      errorCode: "ERR_MALFORMED_REQUEST",
    });
  });

  test.each([
    ["five-field cron", { schedule: "0 9 * * *" }],
    ["unknown descriptor", { schedule: "@sometimes" }],
    ["bad dueTime", { dueTime: "next tuesday" }],
    ["bad ttl", { schedule: "@daily", ttl: "a while" }],
    ["ttl without schedule", { dueTime: "1h", ttl: "2h" }],
    ["repeats 0", { schedule: "@daily", repeats: 0 }],
    ["repeats > 1 without schedule", { dueTime: "1h", repeats: 2 }],
  ])("invalid job (%s) is 400 DAPR_SCHEDULER_SCHEDULE_JOB and stores nothing", async (_label, body) => {
    const error = await errorOf(await call("POST", "r", body));
    expect(error).toMatchObject({ status: 400, errorCode: "DAPR_SCHEDULER_SCHEDULE_JOB" });
    expect(error.message).toStartWith("failed to schedule job due to: ");
    expect((await call("GET", "r")).status).toBe(500);
  });

  test("unknown fields are ignored", async () => {
    expect((await call("POST", "r", { dueTime: "1h", color: "blue" })).status).toBe(204);
  });
});

describe("GET /jobs/{name}", () => {
  test("echoes the job with data as a packed google.protobuf.Value", async () => {
    await call("POST", "weekly", {
      schedule: "TZ=Europe/Paris 0 0 9 * * MON",
      dueTime: "2030-01-01T00:00:00Z",
      repeats: 5,
      ttl: "P30D",
      data: { taskId: "t1", tags: ["a"] },
      failurePolicy: { constant: { interval: "5s", maxRetries: 2 } },
    });
    const response = await call("GET", "weekly");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      name: "weekly",
      schedule: "TZ=Europe/Paris 0 0 9 * * MON",
      dueTime: "2030-01-01T00:00:00Z",
      repeats: 5,
      ttl: "P30D",
      data: { "@type": "type.googleapis.com/google.protobuf.Value", value: { taskId: "t1", tags: ["a"] } },
      failurePolicy: { constant: { interval: "5s", maxRetries: 2 } },
    });
  });

  test("a job without data has no data field", async () => {
    await call("POST", "bare", { dueTime: "1h" });
    expect(await (await call("GET", "bare")).json()).toEqual({ name: "bare", dueTime: "1h" });
  });

  test("a missing job is 500 with a not-found message, as daprd answers", async () => {
    const error = await errorOf(await call("GET", "nope"));
    expect(error).toMatchObject({ status: 500, errorCode: "DAPR_SCHEDULER_GET_JOB" });
    expect(error.message).toContain("not found");
  });
});

describe("DELETE /jobs/{name}", () => {
  test("deletes the job: 204, then GET is 500", async () => {
    await call("POST", "r", { dueTime: "1h" });
    expect((await call("DELETE", "r")).status).toBe(204);
    expect((await call("GET", "r")).status).toBe(500);
  });

  test("a missing job is also 204", async () => {
    expect((await call("DELETE", "never-was")).status).toBe(204);
  });

  test("a deleted job can be scheduled again without overwrite", async () => {
    await call("POST", "r", { dueTime: "1h" });
    await call("DELETE", "r");
    expect((await call("POST", "r", { dueTime: "2h" })).status).toBe(204);
  });
});

describe("ownership and firing through the API", () => {
  test("jobs belong to the app whose sidecar created them", async () => {
    await call("POST", "same", { dueTime: "1h", data: "for notification" }, "notification");
    await call("POST", "same", { dueTime: "1h", data: "for audit" }, "audit");
    expect(await (await call("GET", "same", undefined, "audit")).json()).toMatchObject({ data: { value: "for audit" } });
    await call("DELETE", "same", undefined, "audit");
    expect((await call("GET", "same", undefined, "audit")).status).toBe(500);
    expect(await (await call("GET", "same", undefined, "notification")).json()).toMatchObject({ data: { value: "for notification" } });
  });

  test("a job posted through the API is triggered on the owning app with its raw data", async () => {
    harness.addApp("notification", () => new Response(null, { status: 200 }), "app-token");
    scheduler.start();
    await call("POST", "ping", { dueTime: "0s", data: { taskId: "t1" } });
    const [trigger] = await harness.waitForTriggers("ping");
    expect(trigger).toMatchObject({
      appId: "notification",
      path: "/job/ping",
      contentType: "application/json",
      apiToken: "app-token",
      body: '{"taskId":"t1"}',
    });
    await waitFor(async () => (await call("GET", "ping")).status === 500, { message: "the one-shot job to be removed" });
  });

  test("other methods are 405", async () => {
    expect((await call("PUT", "r", { dueTime: "1h" })).status).toBe(405);
  });
});
