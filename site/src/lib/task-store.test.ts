import { beforeEach, describe, expect, test } from "bun:test";
import { blankTask } from "@todo/testkit";
import type { Task } from "./api.ts";
import { beginFullLoad, clearStore, knownTasks, replaceAll, setOverlay, upsert } from "./task-store.ts";

const base: Task = blankTask({
  id: "00000000-0000-4000-8000-000000000001",
  userId: "u",
  createdAt: "2026-12-01T09:00:00.000Z",
  updatedAt: "2026-12-01T09:00:00.000Z",
});
const titles = () => knownTasks.value.map((task) => `${task.title}@${task.version}`);

describe("the tab's task store applies snapshots by version", () => {
  beforeEach(clearStore);

  test("a newer snapshot replaces, an older or equal one (a replayed frame) is ignored", () => {
    expect(upsert(base)).toBe(true);
    expect(upsert({ ...base, title: "Pay the rent", version: 3 })).toBe(true);
    expect(upsert({ ...base, title: "stale", version: 2 })).toBe(false);
    expect(upsert({ ...base, title: "replayed", version: 3 })).toBe(false);
    expect(titles()).toEqual(["Pay the rent@3"]);
  });

  test("a tombstone removes the task, and an older frame cannot bring it back", () => {
    upsert(base);
    upsert({ ...base, version: 2, deletedAt: "2026-12-01T10:00:00.000Z" });
    expect(upsert({ ...base, version: 1 })).toBe(false);
    expect(titles()).toEqual([]);
  });

  test("a local change shows on top until dropped (a rollback)", () => {
    upsert(base);
    setOverlay(base.id, { status: "completed" });
    expect(knownTasks.value[0]!.status).toBe("completed");
    setOverlay(base.id, undefined);
    expect(knownTasks.value[0]!.status).toBe("pending");
  });

  test("a full load (sync reset) is the truth, even over higher versions seen before", () => {
    upsert({ ...base, version: 5 });
    replaceAll([{ ...base, title: "from REST", version: 4 }]);
    expect(titles()).toEqual(["from REST@4"]);
  });

  test("frames that arrive while the full list is on its way are not lost to its older answer", () => {
    const other = { ...base, id: "00000000-0000-4000-8000-000000000002", title: "created meanwhile" };
    const gone = { ...base, id: "00000000-0000-4000-8000-000000000003", title: "deleted meanwhile" };
    beginFullLoad();
    upsert({ ...base, title: "renamed meanwhile", version: 2 });
    upsert(other);
    upsert({ ...gone, version: 2, deletedAt: "2026-12-01T10:00:00.000Z" });
    replaceAll([base, { ...gone, version: 1 }]);
    expect(titles().sort()).toEqual(["created meanwhile@1", "renamed meanwhile@2"]);
    expect(upsert({ ...base, version: 2 })).toBe(false);
  });
});
