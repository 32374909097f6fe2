import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Task } from "@todo/common";
import { waitFor } from "@todo/testkit";
import { apiClient, type ApiClient, type AuditItem, type TestUser } from "./harness/api-client.ts";
import { caughtUp, finishedDeliveries } from "./harness/delivery-progress.ts";
import { startSystem, type SystemUnderTest } from "./harness/system-under-test.ts";

/**
 * Recurring tasks end to end: completing an occurrence makes recurring-task
 * ask chat-api for the next one, and the series ends after COUNT tasks no
 * matter how often the completions are delivered again.
 */
setDefaultTimeout(60_000);

let system: SystemUnderTest;
let api: ApiClient;

beforeAll(async () => {
  system = await startSystem();
  api = apiClient(system.urls);
});
afterAll(() => system?.stop());

/** Re-publishes an event exactly as chat-api's outbox relay would, through chat-api's sidecar. */
async function republish(event: unknown, partitionKey: string): Promise<void> {
  const response = await system.republish(event, partitionKey);
  expect(response.status).toBe(204);
}

const seriesTasks = async (user: TestUser, seriesId: string) =>
  (await api.listTasks(user, "all")).filter((task) => task.seriesId === seriesId).sort((a, b) => a.occurrence! - b.occurrence!);

describe("recurring series", () => {
  test("a daily series with COUNT=3 produces exactly 3 tasks however often completions are redelivered", async () => {
    const grace = await api.signup("grace");
    const dueAt = new Date(Date.UTC(2031, 0, 6, 9, 0, 0)).toISOString();
    const anchor = await api.createTask(grace, { title: "Take vitamins", dueAt, recurrence: "FREQ=DAILY;COUNT=3", tags: ["health"] });
    expect(anchor.seriesId).not.toBeNull();
    const seriesId = anchor.seriesId!;

    // Complete each occurrence as it appears: occurrence 0, then 1, then 2.
    let current: Task = anchor;
    for (let occurrence = 1; occurrence <= 2; occurrence++) {
      await api.completeTask(grace, current.id);
      current = await waitFor(
        async () => (await seriesTasks(grace, seriesId)).find((task) => task.occurrence === occurrence),
        { message: `occurrence ${occurrence} of the series`, timeoutMs: 10_000 },
      );
      expect(current.status).toBe("pending");
      expect(current.title).toBe("Take vitamins");
      expect(current.tags).toEqual(["health"]);
      expect(Date.parse(current.dueAt!)).toBe(Date.parse(dueAt) + occurrence * 86_400_000);
    }
    await api.completeTask(grace, current.id);

    const completions: AuditItem[] = await waitFor(
      async () => {
        const items = await api.auditTrail(grace, { type: "todo.task.completed.v1" });
        return items.length >= 3 && items;
      },
      { message: "three completions in the audit trail" },
    );
    expect(completions).toHaveLength(3);
    // Every task event so far (the last completion included) reached recurring-task.
    await waitFor(() => caughtUp(api, [grace], "recurring-task", "task-events"), { message: "recurring-task caught up", timeoutMs: 10_000 });

    // Redeliver every completion three more times with its own id (as an at-least-once broker would),
    // and once as a fresh event with the same content (as a relay that lost its bookkeeping would).
    const before = await finishedDeliveries(api, "recurring-task", "task-events");
    let copies = 0;
    for (let round = 0; round < 3; round++) {
      for (const { event, taskId } of completions) {
        await republish(event, taskId!);
        copies++;
      }
    }
    for (const { event, taskId } of completions) {
      await republish({ ...event, id: Bun.randomUUIDv7() }, taskId!);
      copies++;
    }
    await waitFor(async () => (await finishedDeliveries(api, "recurring-task", "task-events")) >= before + copies, {
      message: `recurring-task handled the ${copies} redelivered completions`,
      timeoutMs: 15_000,
    });

    const series = await seriesTasks(grace, seriesId);
    expect(series.map((task) => task.occurrence)).toEqual([0, 1, 2]);
    expect(series.map((task) => task.status)).toEqual(["completed", "completed", "completed"]);
    const generated = await api.auditTrail(grace, { type: "todo.recurrence.generated.v1" });
    expect(generated.map((item) => item.event.data.occurrence).sort()).toEqual([1, 2]);
    expect(await api.listTasks(grace, "pending")).toEqual([]);
  });
});
