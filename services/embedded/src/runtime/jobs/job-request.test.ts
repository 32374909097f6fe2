import { describe, expect, test } from "bun:test";
import { parseFailurePolicy, parseProtoDuration, retryDelayMs } from "./failure-policy.ts";
import { parseJobRequest, planJob, type JobRequest } from "./job-request.ts";
import { nextFireAfter } from "./job-timing.ts";
import { parseSchedule } from "./schedule.ts";

const now = Date.parse("2026-01-01T10:00:00.000Z");

function plan(request: JobRequest) {
  const result = planJob(request, now);
  if (!result.ok) throw new Error(result.error);
  return result.plan;
}

function planError(request: JobRequest): string {
  const result = planJob(request, now);
  if (result.ok) throw new Error("expected the job to be rejected");
  return result.error;
}

describe("parseJobRequest (protobuf JSON of a Job)", () => {
  test("reads every field and keeps data as JSON text", () => {
    const parsed = parseJobRequest({
      schedule: "@every 1s",
      dueTime: "10s",
      repeats: 3,
      ttl: "1h",
      data: { taskId: "t1", n: 1 },
      overwrite: true,
      failurePolicy: { constant: { interval: "5s", maxRetries: 2 } },
      somethingElse: "ignored",
    });
    expect(parsed).toEqual({
      ok: true,
      request: {
        schedule: "@every 1s",
        dueTime: "10s",
        repeats: 3,
        ttl: "1h",
        dataJson: '{"taskId":"t1","n":1}',
        overwrite: true,
        failurePolicy: { constant: { interval: "5s", maxRetries: 2 } },
      },
    });
  });

  test("accepts snake_case names, numeric strings and null as unset", () => {
    const parsed = parseJobRequest({ due_time: "1s", repeats: "2", ttl: null, failure_policy: { constant: { max_retries: 1 } } });
    expect(parsed).toEqual({
      ok: true,
      request: { dueTime: "1s", repeats: 2, failurePolicy: { constant: { maxRetries: 1 } } },
    });
  });

  test("data may be any JSON value, null included; absent data stays absent", () => {
    expect(parseJobRequest({ dueTime: "1s", data: null })).toMatchObject({ request: { dataJson: "null" } });
    expect(parseJobRequest({ dueTime: "1s", data: "text" })).toMatchObject({ request: { dataJson: '"text"' } });
    const parsed = parseJobRequest({ dueTime: "1s" });
    expect(parsed.ok && "dataJson" in parsed.request).toBe(false);
  });

  test("a name in the body is refused (it belongs in the URL)", () => {
    expect(parseJobRequest({ name: "x", dueTime: "1s" })).toMatchObject({ ok: false, kind: "name-in-body" });
    expect(parseJobRequest({ name: "", dueTime: "1s" })).toMatchObject({ ok: true });
  });

  test.each([
    ["an array", []],
    ["a string", "job"],
    ["schedule as a number", { schedule: 5 }],
    ["dueTime as an object", { dueTime: {} }],
    ["negative repeats", { repeats: -1 }],
    ["fractional repeats", { repeats: 1.5 }],
    ["overwrite as a string", { overwrite: "yes" }],
    ["both failure policies", { failurePolicy: { drop: {}, constant: {} } }],
    ["an interval in minutes", { failurePolicy: { constant: { interval: "2m" } } }],
    ["an interval in ms", { failurePolicy: { constant: { interval: "200ms" } } }],
  ])("malformed: %s", (_label, body) => {
    expect(parseJobRequest(body)).toMatchObject({ ok: false, kind: "malformed" });
  });
});

describe("failure policy", () => {
  test("protobuf durations are seconds with an s suffix", () => {
    expect(parseProtoDuration("5s")).toBe(5_000);
    expect(parseProtoDuration("0.2s")).toBe(200);
    expect(parseProtoDuration("1.000000001s")).toBeCloseTo(1_000.000001, 6);
    expect(parseProtoDuration("2m")).toBeUndefined();
    expect(parseProtoDuration("5")).toBeUndefined();
  });

  test("constant retries maxRetries times at the interval, then gives up", () => {
    const parsed = parseFailurePolicy({ constant: { interval: "0.1s", maxRetries: 2 } });
    if (!parsed.ok) throw new Error(parsed.error);
    expect([1, 2, 3].map((failures) => retryDelayMs(parsed.policy, failures))).toEqual([100, 100, undefined]);
  });

  test("constant without maxRetries retries forever", () => {
    const parsed = parseFailurePolicy({ constant: { interval: "1s" } });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(retryDelayMs(parsed.policy, 1_000)).toBe(1_000);
  });

  test("drop never retries", () => {
    const parsed = parseFailurePolicy({ drop: {} });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(retryDelayMs(parsed.policy, 1)).toBeUndefined();
  });
});

describe("planJob (the Scheduler's checks and start times)", () => {
  test("a dueTime is the first fire, whether RFC3339, Go or ISO-8601", () => {
    expect(plan({ dueTime: "2026-01-02T00:00:00Z" }).firstFireAt).toBe(Date.parse("2026-01-02T00:00:00Z"));
    expect(plan({ dueTime: "30s" }).firstFireAt).toBe(now + 30_000);
    expect(plan({ dueTime: "PT1H" }).firstFireAt).toBe(now + 3_600_000);
  });

  test("without a dueTime the first fire is the schedule's next run", () => {
    expect(plan({ schedule: "0 0 12 * * *" }).firstFireAt).toBe(Date.parse("2026-01-01T12:00:00Z"));
    expect(plan({ schedule: "@every 2s" }).firstFireAt).toBe(now + 2_000);
  });

  test("ttl counts from the dueTime when there is one, else from now", () => {
    expect(plan({ schedule: "@every 1s", ttl: "10s" }).expiresAt).toBe(now + 10_000);
    expect(plan({ schedule: "@every 1s", dueTime: "1m", ttl: "10s" }).expiresAt).toBe(now + 70_000);
    expect(plan({ schedule: "@every 1s", ttl: "2026-01-01T11:00:00Z" }).expiresAt).toBe(Date.parse("2026-01-01T11:00:00Z"));
  });

  test("a schedule whose first run is after the ttl has nothing to fire", () => {
    expect(plan({ schedule: "@every 1h", ttl: "10s" }).firstFireAt).toBeUndefined();
  });

  test.each<[string, JobRequest, string]>([
    ["no schedule nor dueTime", {}, "either a due time or a schedule"],
    ["repeats > 1 without schedule", { dueTime: "1s", repeats: 2 }, "schedule to repeat"],
    ["repeats 0", { schedule: "@every 1s", repeats: 0 }, "greater than 0"],
    ["ttl without schedule", { dueTime: "1s", ttl: "1h" }, "schedule to have a ttl"],
    ["bad schedule", { schedule: "* * * * *" }, "invalid schedule"],
    ["bad dueTime", { dueTime: "soon" }, "due time format"],
    ["bad ttl", { schedule: "@every 1s", ttl: "forever" }, "ttl format"],
    ["ttl before dueTime", { schedule: "@every 1s", dueTime: "2026-01-02T00:00:00Z", ttl: "2026-01-01T12:00:00Z" }, "greater than due time"],
    ["a schedule that never runs", { schedule: "0 0 0 30 2 *" }, "no future run"],
  ])("rejects %s", (_label, request, message) => {
    expect(planError(request)).toContain(message);
  });

  test("repeats 1 without a schedule is a one-shot", () => {
    expect(plan({ dueTime: "1s", repeats: 1 }).firstFireAt).toBe(now + 1_000);
  });
});

describe("nextFireAfter", () => {
  const every = (text: string) => {
    const parsed = parseSchedule(text);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.schedule;
  };

  test("a one-shot job is finished after its fire", () => {
    expect(nextFireAfter({}, 1, now, now)).toBeUndefined();
  });

  test("the schedule continues from the last due time, not from when the trigger ended", () => {
    expect(nextFireAfter({ schedule: every("@every 1s") }, 1, now, now + 40)).toBe(now + 1_000);
  });

  test("stops after repeats fires", () => {
    const timing = { schedule: every("@every 1s"), repeats: 2 };
    expect(nextFireAfter(timing, 1, now, now)).toBe(now + 1_000);
    expect(nextFireAfter(timing, 2, now + 1_000, now + 1_000)).toBeUndefined();
  });

  test("stops at the ttl", () => {
    const timing = { schedule: every("@every 1s"), expiresAt: now + 1_500 };
    expect(nextFireAfter(timing, 1, now, now)).toBe(now + 1_000);
    expect(nextFireAfter(timing, 2, now + 1_000, now + 1_000)).toBeUndefined();
  });

  test("missed runs are not replayed: after a late fire the schedule resumes from now", () => {
    const hourly = { schedule: every("@hourly") };
    const down = Date.parse("2026-01-01T10:00:00Z");
    const back = Date.parse("2026-01-01T15:20:00Z");
    expect(nextFireAfter(hourly, 1, down, back)).toBe(Date.parse("2026-01-01T16:00:00Z"));
  });
});
