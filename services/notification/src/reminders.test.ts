import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { deterministicEventId, REMINDER_TRIGGERED } from "@todo/common";
import { untilClockPasses, waitFor } from "@todo/testkit";
import { reminderJobSpec } from "./reminder-job.ts";
import { cancelledEvent, scheduledEvent, startHarness, taskEvent, taskWithReminder, type Harness } from "./notification.fixture.ts";

/** Reminders end to end on the embedded runtime: events in, Dapr jobs, ReminderTriggered out. */
let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.cleanup();
});

const inMs = (ms: number) => new Date(Date.now() + ms);
const triggeredFor = (taskId: string) => harness.triggered().filter((e) => e.data.taskId === taskId);

describe("scheduling", () => {
  test("a scheduled reminder becomes a Dapr job due at remindAt, and its cancellation deletes the job", async () => {
    const { task, reminderId } = taskWithReminder(inMs(60_000));
    await harness.publish(scheduledEvent(task));

    const job = await waitFor(() => harness.getJob(reminderId), { message: "the reminder's job" });
    expect(job.dueTime).toBe(task.remindAt as string);
    expect(job.data).toEqual({ reminderId, taskId: task.id, userId: task.userId, version: 1, remindAt: task.remindAt });
    expect(job.failurePolicy).toEqual(reminderJobSpec(job.data as never).failurePolicy);

    await harness.publish(cancelledEvent({ ...task, version: 2, remindAt: null }, reminderId, "cleared"));
    await waitFor(async () => (await harness.getJob(reminderId)) === undefined, { message: "the job to be deleted" });
  });

  test("a cancellation for a job that no longer exists is acknowledged", async () => {
    const { task, reminderId } = taskWithReminder(inMs(60_000));
    await harness.publish(cancelledEvent({ ...task, version: 2 }, reminderId, "deleted"));
    await harness.waitForLog("reminder job deleted", { reminderId });
    expect(harness.logger.records.filter((r) => r.level === "error")).toEqual([]);
  });
});

describe("firing", () => {
  test("the job fires at remindAt and publishes exactly one ReminderTriggered, within 1 s", async () => {
    const { task, reminderId } = taskWithReminder(inMs(500));
    const remindAtMs = Date.parse(task.remindAt as string);
    await harness.publish(scheduledEvent(task));

    const [fired] = await waitFor(() => harness.triggeredRecords().length > 0 && harness.triggeredRecords(), {
      message: "the trigger",
    });
    const { event, arrivedAt } = fired!;
    const lateness = arrivedAt - remindAtMs;
    console.log(`reminder lateness: ${lateness} ms at the subscriber (firedAt ${Date.parse(event.data.firedAt) - remindAtMs} ms after remindAt)`);
    expect(lateness).toBeLessThan(2_000);

    expect(event.id).toBe(deterministicEventId(REMINDER_TRIGGERED, reminderId));
    expect(event.source).toBe("notification");
    expect(event.subject).toBe(task.id);
    expect(event.data).toMatchObject({ userId: task.userId, taskId: task.id, version: 1, reminderId, remindAt: task.remindAt, task });
    // Never early: the job is due at remindAt.
    expect(Date.parse(event.data.firedAt)).toBeGreaterThanOrEqual(remindAtMs);

    await harness.settle(task.id);
    expect(triggeredFor(task.id)).toHaveLength(1);
    expect(await harness.getJob(reminderId)).toBeUndefined();
  });

  test("a scheduled event that arrives after remindAt (a backlog) still fires, right away", async () => {
    const { task, reminderId } = taskWithReminder(inMs(-5_000));
    await harness.publish(scheduledEvent(task));
    const [fired] = await waitFor(() => triggeredFor(task.id).length > 0 && triggeredFor(task.id), { message: "the late trigger" });
    expect(fired!.data.reminderId).toBe(reminderId);
  });

  test("redelivered scheduled events keep one job and fire once; a copy arriving after the fire schedules nothing", async () => {
    const { task, reminderId } = taskWithReminder(inMs(400));
    const scheduled = scheduledEvent(task);
    const republished = scheduledEvent(task); // same fact, new event id (not caught by event-id idempotency)
    await harness.publish(scheduled, scheduled, republished);

    await waitFor(() => triggeredFor(task.id).length > 0, { message: "the trigger" });
    await harness.publish(scheduledEvent(task));
    await harness.waitForLog("reminder superseded by a newer task version; no job", { reminderId, reason: "already-fired" });
    await harness.settle(task.id);
    expect(triggeredFor(task.id)).toHaveLength(1);
    expect(await harness.getJob(reminderId)).toBeUndefined();
  });

  test("a task completed before its reminder, cancellation delivered: the job is deleted and nothing fires", async () => {
    const { task, reminderId } = taskWithReminder(inMs(500));
    await harness.publish(scheduledEvent(task));
    await waitFor(() => harness.getJob(reminderId), { message: "the job" });

    const completed = { ...task, version: 2, status: "completed" as const, completedAt: new Date().toISOString() };
    await harness.publish(taskEvent("todo.task.completed.v1", completed), cancelledEvent(completed, reminderId, "completed"));
    await waitFor(async () => (await harness.getJob(reminderId)) === undefined, { message: "the job to be deleted" });

    await untilClockPasses(Date.parse(task.remindAt as string) + 100);
    await harness.settle(task.id);
    expect(triggeredFor(task.id)).toEqual([]);
  });

  test.each([
    ["completed", { status: "completed" as const, completedAt: "2030-03-01T09:00:00.000Z" }, "todo.task.completed.v1" as const],
    ["deleted", { deletedAt: "2030-03-01T09:00:00.000Z" }, "todo.task.deleted.v1" as const],
  ])("a task %s before its reminder, cancellation not yet delivered: the job fires, re-checks and publishes nothing", async (reason, change, type) => {
    const { task, reminderId } = taskWithReminder(inMs(500));
    await harness.publish(scheduledEvent(task));
    await waitFor(() => harness.getJob(reminderId), { message: "the job" });
    await harness.publish(taskEvent(type, { ...task, ...change, version: 2 }));
    await waitFor(async () => (await harness.readState(`task:${task.id}`) as { version?: number } | undefined)?.version === 2, {
      message: "the task record at version 2",
    });
    expect(await harness.getJob(reminderId)).toBeDefined(); // the cancellation never came

    await harness.waitForLog("stale reminder; nothing published", { job: reminderId, reason });
    await harness.settle(task.id);
    expect(triggeredFor(task.id)).toEqual([]);
  });

  test("a moved reminder fires at its new time only", async () => {
    const { task, reminderId: first } = taskWithReminder(inMs(300));
    await harness.publish(scheduledEvent(task));
    await waitFor(() => harness.getJob(first), { message: "the first job" });

    const moved = { ...task, version: 2, remindAt: inMs(600).toISOString() };
    const second = `${task.id}-${Date.parse(moved.remindAt)}`;
    await harness.publish(taskEvent("todo.task.updated.v1", moved), cancelledEvent(moved, first, "rescheduled"), scheduledEvent(moved));

    const [fired] = await waitFor(() => triggeredFor(task.id).length > 0 && triggeredFor(task.id), { message: "the moved reminder" });
    expect(fired!.data).toMatchObject({ reminderId: second, remindAt: moved.remindAt, version: 2 });
    expect(Date.parse(fired!.data.firedAt)).toBeGreaterThanOrEqual(Date.parse(moved.remindAt));
    await harness.settle(task.id);
    expect(triggeredFor(task.id).map((e) => e.data.reminderId)).toEqual([second]);
  });

  test("a scheduled event delivered after a newer version moved the reminder creates no job for the old time", async () => {
    const { task, reminderId: old } = taskWithReminder(inMs(60_000));
    const moved = { ...task, version: 2, remindAt: inMs(120_000).toISOString() };
    await harness.publish(taskEvent("todo.task.updated.v1", moved));
    await waitFor(() => harness.readState(`task:${task.id}`), { message: "the task record" });
    await harness.publish(scheduledEvent(task));

    await harness.waitForLog("reminder superseded by a newer task version; no job", { reminderId: old, reason: "moved" });
    expect(await harness.getJob(old)).toBeUndefined();
  });
});

describe("restarts", () => {
  test("a reminder due while the runtime is down fires once after it starts again", async () => {
    const { task, reminderId } = taskWithReminder(inMs(300));
    await harness.publish(scheduledEvent(task));
    await waitFor(() => harness.getJob(reminderId), { message: "the job" });

    await harness.stop();
    await untilClockPasses(Date.parse(task.remindAt as string) + 50);
    expect(triggeredFor(task.id)).toEqual([]);
    await harness.start();

    await waitFor(() => triggeredFor(task.id).length > 0, { message: "the trigger after the restart" });
    await harness.settle(task.id);
    expect(triggeredFor(task.id)).toHaveLength(1);
  });

  test("a reminder scheduled before a restart fires on time after it", async () => {
    const { task, reminderId } = taskWithReminder(inMs(600));
    await harness.publish(scheduledEvent(task));
    await waitFor(() => harness.getJob(reminderId), { message: "the job" });

    await harness.stop();
    await harness.start();

    const [fired] = await waitFor(() => triggeredFor(task.id).length > 0 && triggeredFor(task.id), { message: "the trigger" });
    expect(Date.parse(fired!.data.firedAt) - Date.parse(task.remindAt as string)).toBeLessThan(2_000);
    await harness.settle(task.id);
    expect(triggeredFor(task.id)).toHaveLength(1);
  });
});
