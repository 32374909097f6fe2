import { describe, expect, test } from "bun:test";
import { sampleData } from "@todo/testkit";
import { reminderJobData, reminderJobSpec } from "./reminder-job.ts";

describe("reminderJobSpec", () => {
  test("a one-shot job at remindAt (UTC), replacing any job of the same name, retried for 2 minutes, 2 s apart", () => {
    const data = reminderJobData({ ...sampleData("todo.reminder.scheduled.v1"), remindAt: "2026-02-01T09:00:00+01:00" });
    expect(reminderJobSpec(data)).toEqual({
      dueTime: "2026-02-01T08:00:00.000Z",
      data,
      overwrite: true,
      failurePolicy: { constant: { interval: "2s", maxRetries: 60 } },
    });
  });

  test("the job data carries what the trigger re-checks, not the task snapshot", () => {
    const scheduled = sampleData("todo.reminder.scheduled.v1");
    expect(reminderJobData(scheduled)).toEqual({
      reminderId: scheduled.reminderId,
      taskId: scheduled.taskId,
      userId: scheduled.userId,
      version: scheduled.version,
      remindAt: scheduled.remindAt,
    });
  });
});
