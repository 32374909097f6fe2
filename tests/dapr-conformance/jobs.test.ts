/**
 * Jobs API (alpha1, Dapr 1.16+ semantics): scheduling, exact-time triggers,
 * overwrite, delete, repeats and failure policy (dapr-http-contract.md §4).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createConformanceRun, type SidecarUnderTest } from "./harness/conformance-run.ts";
import { jsonOf } from "./harness/dapr-api.ts";
import { expectUnchanged, untilClockPasses, waitFor } from "@todo/testkit";

// Sidecar start-up and broker round trips outlast bun's 5 s default.
setDefaultTimeout(30_000);

const run = createConformanceRun();
const { profile, names } = run;
let under: SidecarUnderTest;

beforeAll(async () => {
  under = await run.startSidecar({ appId: names.name("conf-jobs") });
}, 30_000);

afterAll(() => run.cleanup(), 30_000);

const jobPath = (name: string) => `/v1.0-alpha1/jobs/${encodeURIComponent(name)}`;
const schedule = (name: string, body: unknown) => under.dapr.request("POST", jobPath(name), { json: body });

async function scheduleOk(name: string, body: unknown): Promise<void> {
  const response = await schedule(name, body);
  if (response.status !== 204) throw new Error(`scheduling ${name} answered ${response.status} ${await response.text()}`);
}

const describeTriggers = (name: string) => () =>
  JSON.stringify(under.app.triggersOf(name).map((t) => ({ at: t.arrivedAt, body: t.body })));

describe("jobs", () => {
  test("a one-shot job fires once at its due time with its data as the body, never early", async () => {
    const name = names.name("one-shot");
    const data = { taskId: "task-1", attempt: 7, tags: ["x"] };
    const dueAt = Date.now() + 500;
    await scheduleOk(name, { dueTime: new Date(dueAt).toISOString(), data });

    const trigger = await waitFor(() => under.app.triggersOf(name)[0], {
      timeoutMs: 3_000,
      message: `job ${name} to fire`,
    });
    const lateness = trigger.arrivedAt - dueAt;
    expect(lateness).toBeGreaterThanOrEqual(0);
    expect(lateness).toBeLessThanOrEqual(profile.jobLatenessBoundMs);
    expect(trigger.headers["content-type"] ?? "").toStartWith("application/json");
    expect(trigger.body).toEqual(data);

    await expectUnchanged(() => under.app.triggersOf(name).length, 300, `one-shot job ${name} fired again`);
  });

  test("GET returns the job with its data as a google.protobuf.Value", async () => {
    const name = names.name("get");
    await scheduleOk(name, { dueTime: "1h", data: { reminder: "pay rent", amount: 12.5 } });

    const response = await under.dapr.request("GET", jobPath(name));
    expect(response.status).toBe(200);
    const job = await jsonOf<{ name?: string; dueTime?: string; data?: unknown }>(response);
    expect(job.name).toBe(name);
    expect(job.dueTime).toBeTruthy();
    expect(job.data).toEqual({
      "@type": "type.googleapis.com/google.protobuf.Value",
      value: { reminder: "pay rent", amount: 12.5 },
    });
    expect((await under.dapr.request("DELETE", jobPath(name))).status).toBe(204);
  });

  test("GET of a job that does not exist answers 500", async () => {
    const response = await under.dapr.request("GET", jobPath(names.name("missing")));
    expect(response.status).toBe(500);
  });

  test("re-scheduling an existing name answers 409 unless overwrite is true, which replaces the job", async () => {
    const name = names.name("overwrite");
    await scheduleOk(name, { dueTime: "1h", data: { version: 1 } });

    const conflict = await schedule(name, { dueTime: "1h", data: { version: 2 } });
    expect(conflict.status).toBe(409);
    const unchanged = await jsonOf<{ data?: { value?: unknown } }>(await under.dapr.request("GET", jobPath(name)));
    expect(unchanged.data?.value).toEqual({ version: 1 });

    const replaced = await schedule(name, { dueTime: "1h", data: { version: 3 }, overwrite: true });
    expect(replaced.status).toBe(204);
    const current = await jsonOf<{ data?: { value?: unknown } }>(await under.dapr.request("GET", jobPath(name)));
    expect(current.data?.value).toEqual({ version: 3 });
    expect((await under.dapr.request("DELETE", jobPath(name))).status).toBe(204);
  });

  test("a deleted job never fires", async () => {
    const name = names.name("deleted");
    const dueAt = Date.now() + 400;
    await scheduleOk(name, { dueTime: new Date(dueAt).toISOString(), data: "never" });

    expect((await under.dapr.request("DELETE", jobPath(name))).status).toBe(204);
    expect((await under.dapr.request("GET", jobPath(name))).status).toBe(500);

    await untilClockPasses(dueAt + profile.jobLatenessBoundMs + 300);
    expect(under.app.triggersOf(name)).toEqual([]);
  });

  test("an @every 1s schedule with repeats 2 fires exactly twice, a period apart", async () => {
    const name = names.name("repeats");
    await scheduleOk(name, { schedule: "@every 1s", repeats: 2, data: { series: name } });

    const [first, second] = await waitFor(
      () => {
        const triggers = under.app.triggersOf(name);
        return triggers.length >= 2 && triggers;
      },
      { timeoutMs: 5_000, message: `two triggers of ${name}`, describe: describeTriggers(name) },
    );
    expect(first?.body).toEqual({ series: name });
    expect(second?.body).toEqual({ series: name });
    expect((second?.arrivedAt ?? 0) - (first?.arrivedAt ?? 0)).toBeGreaterThanOrEqual(900);

    await expectUnchanged(() => under.app.triggersOf(name).length, 1_500, `job ${name} fired more than twice`);
  }, 15_000);

  test("a trigger the app answers with 500 is retried per the constant failure policy", async () => {
    const name = names.name("failing");
    under.app.scriptJob(name, () => 500);
    const dueAt = Date.now() + 200;
    await scheduleOk(name, {
      dueTime: new Date(dueAt).toISOString(),
      data: { failing: true },
      failurePolicy: { constant: { interval: "0.2s", maxRetries: 2 } },
    });

    const triggers = await waitFor(
      () => {
        const all = under.app.triggersOf(name);
        return all.length >= 3 && all;
      },
      { timeoutMs: 5_000, message: `1 trigger + 2 retries of ${name}`, describe: describeTriggers(name) },
    );
    for (let i = 1; i < triggers.length; i++) {
      const gap = (triggers[i]?.arrivedAt ?? 0) - (triggers[i - 1]?.arrivedAt ?? 0);
      expect(gap).toBeGreaterThanOrEqual(150);
    }
    await expectUnchanged(() => under.app.triggersOf(name).length, 800, `job ${name} retried more than twice`);
  }, 15_000);

  test("the stable /v1.0/jobs path serves the same jobs (Dapr 1.18)", async () => {
    const name = names.name("stable-path");
    const created = await under.dapr.request("POST", `/v1.0/jobs/${name}`, { json: { dueTime: "1h", data: 1 } });
    expect(created.status).toBe(204);

    const viaAlpha = await under.dapr.request("GET", jobPath(name));
    expect(viaAlpha.status).toBe(200);
    expect((await under.dapr.request("DELETE", `/v1.0/jobs/${name}`)).status).toBe(204);
    expect((await under.dapr.request("GET", jobPath(name))).status).toBe(500);
  });
});
