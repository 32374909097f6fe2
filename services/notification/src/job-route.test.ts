import { afterEach, describe, expect, test } from "bun:test";
import { DaprError, deterministicEventId, REMINDER_TRIGGERED, type DaprClient } from "@todo/common";
import { waitFor } from "@todo/testkit";
import { reminderJobData } from "./reminder-job.ts";
import { scheduledEvent, startHarness, taskWithReminder, type Harness } from "./notification.fixture.ts";

/** POST /job/<reminderId> as daprd calls it, driven by hand instead of by the scheduler. */
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

async function withScheduledReminder(options: Parameters<typeof startHarness>[0] = {}) {
  harness = await startHarness(options);
  const { task, reminderId } = taskWithReminder(new Date(Date.now() + 60_000));
  const scheduled = scheduledEvent(task);
  await harness.publish(scheduled);
  await waitFor(() => harness!.getJob(reminderId), { message: "the job" });
  const h = harness;
  const trigger = (body: unknown = reminderJobData(scheduled.data), init: { token?: boolean; name?: string } = {}) =>
    h.call(`/job/${init.name ?? reminderId}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      token: init.token,
    });
  return { harness: h, task, reminderId, trigger, jobData: reminderJobData(scheduled.data) };
}

describe("POST /job/:name", () => {
  test("without the app token: 401 and nothing is published", async () => {
    const { harness, task, trigger } = await withScheduledReminder();
    const response = await trigger(undefined, { token: false });
    expect(response.status).toBe(401);
    await harness.settle(task.id);
    expect(harness.triggered()).toEqual([]);
  });

  test("a current reminder publishes once; a second trigger of the same job answers 200 and publishes nothing", async () => {
    const { harness, task, reminderId, trigger } = await withScheduledReminder();
    const first = await trigger();
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ outcome: "published", eventId: deterministicEventId(REMINDER_TRIGGERED, reminderId) });

    const again = await trigger();
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ outcome: "stale", reason: "already-fired" });
    await harness.settle(task.id);
    expect(harness.triggered().map((e) => e.data.reminderId)).toEqual([reminderId]);
  });

  test("a trigger for a task with no state yet answers 500 so the failure policy retries", async () => {
    const { harness, jobData, trigger } = await withScheduledReminder();
    const unknownTask = crypto.randomUUID();
    const reminderId = `${unknownTask}-${Date.parse(jobData.remindAt)}`;
    const response = await trigger({ ...jobData, taskId: unknownTask, reminderId }, { name: reminderId });
    expect(response.status).toBe(500);
    expect(harness.logger.records).toContainEqual(expect.objectContaining({ level: "warn", reason: "no-task-state" }));
  });

  test("when publishing fails the trigger answers 500, and the retry publishes", async () => {
    const failing = { publish: true };
    const { harness, task, reminderId, trigger } = await withScheduledReminder({
      wrapDapr: (client): DaprClient => ({
        ...client,
        publish: (...args) =>
          failing.publish
            ? Promise.reject(new DaprError({ operation: "publish", status: 500, message: "broker down" }))
            : client.publish(...args),
      }),
    });
    expect((await trigger()).status).toBe(500);
    failing.publish = false;
    expect((await trigger()).status).toBe(200);
    await harness.settle(task.id);
    expect(harness.triggered().map((e) => e.data.reminderId)).toEqual([reminderId]);
  });

  test.each([
    ["a body that is not job data", { reminderId: "x" }, undefined],
    ["a job name that is not the body's reminder", undefined, "someone-else"],
  ])("%s: 400", async (_name, body, name) => {
    const { trigger } = await withScheduledReminder();
    const response = await trigger(body, name === undefined ? {} : { name });
    expect(response.status).toBe(400);
  });
});
