import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { DaprClient } from "@todo/common";
import { blankTask, runtimeFixture, type RuntimeFixture } from "@todo/testkit";
import { withSnapshot } from "./task-record.ts";
import { createTaskRecordStore, taskRecordKey } from "./task-record-store.ts";

/** The record store against the embedded runtime's state API (real ETags). */
let fixture: RuntimeFixture;
let dapr: DaprClient;
beforeEach(async () => {
  fixture = runtimeFixture();
  await fixture.runtime().start();
  dapr = fixture.sidecar("notification");
});
afterEach(() => fixture.cleanup());

describe("task record store", () => {
  test("concurrent snapshots in any order leave the newest version, none lost to a race", async () => {
    const records = createTaskRecordStore({ dapr, stateStore: "statestore", maxAttempts: 50 });
    const id = crypto.randomUUID();
    const versions = Array.from({ length: 20 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
    await Promise.all(versions.map((version) => records.update(id, (held) => withSnapshot(held, blankTask({ id, version })))));
    expect((await records.read(id))?.version).toBe(20);
  });

  test("the key is accepted by Dapr (no '||') and an unchanged record is not written", async () => {
    const records = createTaskRecordStore({ dapr, stateStore: "statestore" });
    const task = blankTask({ id: crypto.randomUUID(), version: 2 });
    await records.update(task.id, (held) => withSnapshot(held, task));
    const before = await dapr.getState("statestore", taskRecordKey(task.id));
    expect(await records.update(task.id, (held) => withSnapshot(held, { ...task, version: 1 }))).toMatchObject({ version: 2 });
    expect((await dapr.getState("statestore", taskRecordKey(task.id)))?.etag).toBe(before?.etag);
  });
});
