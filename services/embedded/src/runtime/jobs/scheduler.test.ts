import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { waitFor } from "@todo/testkit";
import type { JobRequest } from "./job-request.ts";
import type { JobScheduler } from "./scheduler.ts";
import { createJobsHarness, type JobsHarness } from "./jobs.fixture.ts";

const app = "notification";
let harness: JobsHarness;

beforeEach(() => {
  harness = createJobsHarness();
  harness.addApp(app);
});

afterEach(async () => {
  await harness.cleanup();
});

function schedule(scheduler: JobScheduler, name: string, request: JobRequest, appId = app) {
  const outcome = scheduler.schedule(appId, name, request);
  if (!outcome.ok) throw new Error(outcome.message);
}

const isGone = (scheduler: JobScheduler, name: string) => () => scheduler.get(app, name) === undefined;

describe("exact time", () => {
  test("a job fires within 50 ms of its due time, never before", async () => {
    const scheduler = harness.scheduler();
    scheduler.start();
    const dueAt = Date.now() + 300;
    schedule(scheduler, "exact", { dueTime: new Date(dueAt).toISOString(), dataJson: '{"n":1}' });
    const [trigger] = await harness.waitForTriggers("exact");
    const lateness = trigger!.arrivedAt - dueAt;
    expect(lateness).toBeGreaterThanOrEqual(0);
    expect(lateness).toBeLessThanOrEqual(50);
    expect(trigger!.body).toBe('{"n":1}');
  });

  test("jobs due at different times fire in order, each on time", async () => {
    const scheduler = harness.scheduler();
    scheduler.start();
    const base = Date.now() + 200;
    const offsets = [60, 0, 40, 20];
    for (const offset of offsets) schedule(scheduler, `at-${offset}`, { dueTime: new Date(base + offset).toISOString() });
    await waitFor(() => harness.triggers.length === offsets.length);
    expect(harness.triggers.map((t) => t.name)).toEqual(["at-0", "at-20", "at-40", "at-60"]);
    for (const trigger of harness.triggers) {
      const dueAt = base + Number(trigger.name.slice(3));
      expect(trigger.arrivedAt - dueAt).toBeGreaterThanOrEqual(0);
      expect(trigger.arrivedAt - dueAt).toBeLessThanOrEqual(50);
    }
  });

  test("a slow app does not delay other jobs", async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    harness.addApp("slow", async () => {
      await released;
      return new Response(null, { status: 200 });
    });
    const scheduler = harness.scheduler();
    scheduler.start();
    const dueAt = Date.now() + 100;
    schedule(scheduler, "stuck", { dueTime: new Date(dueAt).toISOString() }, "slow");
    schedule(scheduler, "quick", { dueTime: new Date(dueAt + 20).toISOString() });
    const [quick] = await harness.waitForTriggers("quick");
    expect(quick!.arrivedAt - (dueAt + 20)).toBeLessThanOrEqual(50);
    release();
  });

  test("due times follow the scheduler's clock: moving it past a due time fires the job", async () => {
    let offset = 0;
    const scheduler = harness.scheduler({ now: () => Date.now() + offset });
    scheduler.start();
    schedule(scheduler, "in-an-hour", { dueTime: "1h" });
    offset = 3_600_000;
    await harness.waitForTriggers("in-an-hour");
  });

  test("a job scheduled before start() fires once the scheduler starts", async () => {
    const scheduler = harness.scheduler();
    schedule(scheduler, "early", { dueTime: "0s" });
    scheduler.start();
    await waitFor(() => harness.triggersOf("early").length === 1);
  });
});

describe("schedules", () => {
  test("@every with repeats fires exactly `repeats` times, then the job is gone", async () => {
    const scheduler = harness.scheduler();
    scheduler.start();
    const start = Date.now();
    schedule(scheduler, "thrice", { schedule: "@every 50ms", repeats: 3 });
    await waitFor(isGone(scheduler, "thrice"), { message: "the job to finish" });
    const fired = harness.triggersOf("thrice");
    expect(fired).toHaveLength(3);
    // @every runs from the previous due time: +50, +100, +150 ms.
    fired.forEach((trigger, index) => expect(trigger.arrivedAt - start).toBeGreaterThanOrEqual(50 * (index + 1)));
  });

  test("dueTime with a schedule: the first fire is at dueTime, then per schedule", async () => {
    const scheduler = harness.scheduler();
    scheduler.start();
    const dueAt = Date.now() + 100;
    schedule(scheduler, "due-then-every", { dueTime: new Date(dueAt).toISOString(), schedule: "@every 100ms", repeats: 2 });
    await waitFor(isGone(scheduler, "due-then-every"));
    const [first, second] = harness.triggersOf("due-then-every");
    expect(first!.arrivedAt - dueAt).toBeGreaterThanOrEqual(0);
    expect(first!.arrivedAt - dueAt).toBeLessThanOrEqual(50);
    expect(second!.arrivedAt - dueAt).toBeGreaterThanOrEqual(100);
  });

  test("ttl stops a schedule: no fire after it expires, and the job is gone", async () => {
    const scheduler = harness.scheduler();
    scheduler.start();
    const expiresAt = Date.now() + 300;
    schedule(scheduler, "short-lived", { schedule: "@every 50ms", ttl: "300ms" });
    await waitFor(isGone(scheduler, "short-lived"), { message: "the job to expire" });
    const fired = harness.triggersOf("short-lived");
    expect(fired.length).toBeGreaterThanOrEqual(4);
    expect(fired.length).toBeLessThanOrEqual(6);
    for (const trigger of fired) expect(trigger.arrivedAt).toBeLessThanOrEqual(expiresAt + 50);
  });

  test("a deleted recurring job stops firing", async () => {
    const scheduler = harness.scheduler();
    scheduler.start();
    schedule(scheduler, "cancel-me", { schedule: "@every 30ms" });
    await waitFor(() => harness.triggersOf("cancel-me").length >= 2);
    scheduler.delete(app, "cancel-me");
    const countAtDelete = harness.triggersOf("cancel-me").length;
    // A control job due well after several more ticks would have come.
    schedule(scheduler, "control", { dueTime: "200ms" });
    await waitFor(() => harness.triggersOf("control").length === 1);
    // At most one trigger that was already on its way when the job was deleted.
    expect(harness.triggersOf("cancel-me").length).toBeLessThanOrEqual(countAtDelete + 1);
  });
});

describe("failure policy", () => {
  test("constant 0.1s with maxRetries 2: three calls, spaced by the interval, then the job is done", async () => {
    harness.setReply(app, () => new Response("boom", { status: 500 }));
    const scheduler = harness.scheduler();
    scheduler.start();
    schedule(scheduler, "flaky", { dueTime: "0s", failurePolicy: { constant: { interval: "0.1s", maxRetries: 2 } } });
    await waitFor(isGone(scheduler, "flaky"), { message: "the job to give up" });
    const calls = harness.triggersOf("flaky");
    expect(calls).toHaveLength(3);
    expect(calls[1]!.arrivedAt - calls[0]!.arrivedAt).toBeGreaterThanOrEqual(100);
    expect(calls[2]!.arrivedAt - calls[1]!.arrivedAt).toBeGreaterThanOrEqual(100);
  });

  test("drop: one call, no retry", async () => {
    harness.setReply(app, () => new Response(null, { status: 503 }));
    const scheduler = harness.scheduler();
    scheduler.start();
    schedule(scheduler, "dropped", { dueTime: "0s", failurePolicy: { drop: {} } });
    await waitFor(isGone(scheduler, "dropped"));
    expect(harness.triggersOf("dropped")).toHaveLength(1);
  });

  test("404 from the app is done: one call, no retry", async () => {
    harness.setReply(app, () => new Response(null, { status: 404 }));
    const scheduler = harness.scheduler();
    scheduler.start();
    schedule(scheduler, "unhandled", { dueTime: "0s", failurePolicy: { constant: { interval: "0.05s", maxRetries: 5 } } });
    await waitFor(isGone(scheduler, "unhandled"));
    expect(harness.triggersOf("unhandled")).toHaveLength(1);
  });

  test("a retry that succeeds ends the retries", async () => {
    let calls = 0;
    harness.setReply(app, () => new Response(null, { status: ++calls === 1 ? 500 : 200 }));
    const scheduler = harness.scheduler();
    scheduler.start();
    schedule(scheduler, "second-time-lucky", { dueTime: "0s", failurePolicy: { constant: { interval: "0.05s", maxRetries: 5 } } });
    await waitFor(isGone(scheduler, "second-time-lucky"));
    expect(harness.triggersOf("second-time-lucky")).toHaveLength(2);
  });

  test("a thrown call or an app without a channel counts as a failure", async () => {
    harness.setReply(app, () => {
      throw new Error("connection refused");
    });
    const scheduler = harness.scheduler();
    scheduler.start();
    schedule(scheduler, "throws", { dueTime: "0s", failurePolicy: { constant: { interval: "0.05s", maxRetries: 1 } } });
    schedule(scheduler, "orphan", { dueTime: "0s", failurePolicy: { constant: { interval: "0.05s", maxRetries: 1 } } }, "no-such-app");
    await waitFor(isGone(scheduler, "throws"));
    await waitFor(() => scheduler.get("no-such-app", "orphan") === undefined);
    expect(harness.triggersOf("throws")).toHaveLength(2);
    const warnings = harness.logger.records.filter((r) => r.msg === "job trigger failed; will retry" && r.job === "orphan");
    expect(warnings).toHaveLength(1);
  });
});

describe("durability", () => {
  test("a job survives closing and re-creating the scheduler on the same db file", async () => {
    const first = harness.scheduler();
    schedule(first, "survivor", { dueTime: new Date(Date.now() + 200).toISOString(), dataJson: '"kept"' });
    await first.stop();
    harness.reopenDb();
    const second = harness.scheduler();
    expect(second.get(app, "survivor")).toMatchObject({ dataJson: '"kept"' });
    second.start();
    const [trigger] = await harness.waitForTriggers("survivor");
    expect(trigger!.body).toBe('"kept"');
  });

  test("a one-shot job that fell due while the runtime was down fires once at start", async () => {
    // Created by a runtime whose clock says ten seconds ago: due five seconds ago.
    const before = harness.scheduler({ now: () => Date.now() - 10_000 });
    schedule(before, "missed", { dueTime: "5s" });
    await before.stop();
    harness.reopenDb();
    const after = harness.scheduler();
    const startedAt = Date.now();
    after.start();
    await waitFor(isGone(after, "missed"));
    const fired = harness.triggersOf("missed");
    expect(fired).toHaveLength(1);
    expect(fired[0]!.arrivedAt - startedAt).toBeLessThanOrEqual(50);
  });

  test("a recurring job fires once for all the runs it missed, then follows its schedule from now", async () => {
    const before = harness.scheduler({ now: () => Date.now() - 10_000 });
    schedule(before, "catch-up", { schedule: "@every 300ms" });
    await before.stop();
    harness.reopenDb();
    const after = harness.scheduler();
    after.start();
    await waitFor(() => harness.triggersOf("catch-up").length >= 2, { message: "two triggers" });
    after.delete(app, "catch-up");
    const [first, second] = harness.triggersOf("catch-up");
    // Thirty-odd runs were missed; only one is replayed, the next comes a full interval later.
    expect(second!.arrivedAt - first!.arrivedAt).toBeGreaterThanOrEqual(290);
  });

  test("a fire interrupted by a stop is not recorded, so it fires again at the next start", async () => {
    harness.setReply(app, () => new Promise<Response>(() => {}));
    const crashed = harness.scheduler({ stopTimeoutMs: 20 });
    crashed.start();
    schedule(crashed, "at-least-once", { dueTime: "0s" });
    await waitFor(() => harness.triggersOf("at-least-once").length === 1);
    await crashed.stop();
    harness.reopenDb();
    harness.setReply(app, () => new Response(null, { status: 200 }));
    const restarted = harness.scheduler();
    restarted.start();
    await waitFor(isGone(restarted, "at-least-once"));
    expect(harness.triggersOf("at-least-once")).toHaveLength(2);
  });

  test("stop() waits for triggers in flight and then records them", async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    harness.setReply(app, async () => {
      await released;
      return new Response(null, { status: 200 });
    });
    const scheduler = harness.scheduler();
    scheduler.start();
    schedule(scheduler, "in-flight", { dueTime: "0s" });
    await waitFor(() => harness.triggersOf("in-flight").length === 1);
    const stopped = scheduler.stop();
    release();
    await stopped;
    expect(scheduler.get(app, "in-flight")).toBeUndefined();
  });
});

describe("scale", () => {
  test("1,000 jobs due at the same instant all fire exactly once", async () => {
    const scheduler = harness.scheduler();
    scheduler.start();
    const dueAt = Date.now() + 400;
    const dueTime = new Date(dueAt).toISOString();
    for (let i = 0; i < 1_000; i++) schedule(scheduler, `bulk-${i}`, { dueTime, dataJson: String(i) });
    await waitFor(() => harness.triggers.length >= 1_000, { timeoutMs: 10_000, message: "1,000 triggers" });
    await waitFor(() => scheduler.get(app, "bulk-999") === undefined && scheduler.get(app, "bulk-0") === undefined);
    const names = new Set(harness.triggers.map((t) => t.name));
    expect(names.size).toBe(1_000);
    expect(harness.triggers).toHaveLength(1_000);
    expect(Math.min(...harness.triggers.map((t) => t.arrivedAt))).toBeGreaterThanOrEqual(dueAt);
  });
});
