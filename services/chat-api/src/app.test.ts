import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Task as TaskSchema, type Task } from "@todo/common";
import { waitFor } from "@todo/testkit";
import { Value } from "@sinclair/typebox/value";
import { testDatabases } from "@todo/testkit/databases";
import { APP_TOKEN, createHarness, type Harness } from "./tasks/api.fixture.ts";
import { reminderIdOf } from "./tasks/task-events.ts";

/**
 * The task API through the real createApp, on PGlite and (when DATABASE_URL
 * is set) PostgreSQL. One app and database per engine; tests keep apart by
 * signing up their own users. The clock only moves forward (tokens are
 * issued and checked against it).
 */
const TASK_FIELDS = [
  "id",
  "userId",
  "title",
  "description",
  "status",
  "priority",
  "tags",
  "dueAt",
  "remindAt",
  "recurrence",
  "seriesId",
  "occurrence",
  "timeZone",
  "version",
  "createdAt",
  "updatedAt",
  "completedAt",
  "deletedAt",
];

const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(testDatabases())("task API on $name", ({ open }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(open);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const now = () => h.clock.now().getTime();
  /** Runs `work` and returns the outbox rows it wrote. */
  async function eventsOf(work: () => Promise<unknown>) {
    const before = await h.lastSeq();
    await work();
    return await h.outbox(before);
  }
  const types = (events: { type: string }[]) => events.map((event) => event.type);

  describe("creating and reading", () => {
    test("a user who signs up creates a task: 201 with the whole task, its Location and its version as ETag", async () => {
      const { token, userId } = await h.signupThroughApi();
      const reply = await h.call("POST", "/api/tasks", {
        token,
        body: { title: "  Pay rent ", tags: ["Home", "bills", "home"], priority: "high", dueAt: "2030-04-01T09:00:00+02:00" },
      });
      expect(reply.status).toBe(201);
      const task = reply.body as Task;
      expect(Object.keys(task).sort()).toEqual([...TASK_FIELDS].sort());
      expect(Value.Check(TaskSchema, task)).toBe(true);
      expect(task).toMatchObject({
        userId,
        title: "Pay rent",
        description: "",
        status: "pending",
        priority: "high",
        tags: ["home", "bills"],
        dueAt: "2030-04-01T07:00:00.000Z",
        remindAt: null,
        recurrence: null,
        seriesId: null,
        occurrence: null,
        timeZone: "UTC",
        version: 1,
        createdAt: h.clock.now().toISOString(),
        updatedAt: h.clock.now().toISOString(),
        completedAt: null,
        deletedAt: null,
      });
      expect(reply.headers.get("location")).toBe(`/api/tasks/${task.id}`);
      expect(reply.headers.get("etag")).toBe('"1"');

      const read = await h.call("GET", `/api/tasks/${task.id}`, { token });
      expect(read.status).toBe(200);
      expect(read.body).toEqual(task);
      expect(read.headers.get("etag")).toBe('"1"');
    });

    test("a task takes its owner's profile time zone, which its recurrence follows", async () => {
      const { token } = await h.signupThroughApi();
      const profile = await h.call("PATCH", "/api/me", { token, body: { timeZone: "America/New_York" } });
      expect(profile.status).toBe(200);
      const reply = await h.call("POST", "/api/tasks", {
        token,
        body: { title: "Bins out", dueAt: "2030-04-02T01:00:00Z", recurrence: "FREQ=WEEKLY;BYDAY=MO" },
      });
      expect(reply.status).toBe(201);
      const task = reply.body as Task;
      expect(task.timeZone).toBe("America/New_York");
      expect(Value.Check(TaskSchema, task)).toBe(true);
      expect((await h.call("GET", `/api/tasks/${task.id}`, { token })).body).toEqual(task);
    });

    test("ids are UUIDv7, so tasks created later have larger ids", async () => {
      const { token } = await h.signup();
      const first = await h.createTask(token, { title: "one" });
      h.clock.advance(5);
      const second = await h.createTask(token, { title: "two" });
      expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(second.id > first.id).toBe(true);
    });

    test("a task with a rule becomes the anchor of its own series", async () => {
      const { token } = await h.signup();
      const task = await h.createTask(token, { title: "Rent", dueAt: "2030-04-01T09:00:00Z", recurrence: "RRULE:FREQ=MONTHLY;BYMONTHDAY=1" });
      expect(task).toMatchObject({ recurrence: "FREQ=MONTHLY;BYMONTHDAY=1", seriesId: task.id, occurrence: 0 });
    });

    test.each([
      ["a missing title", {}],
      ["a title that is not a string", { title: 42 }],
      ["an unknown priority", { title: "t", priority: "urgent" }],
      ["tags that are not a list", { title: "t", tags: "home" }],
      ["a due date without offset", { title: "t", dueAt: "2030-04-01T09:00:00" }],
      ["an unknown field", { title: "t", colour: "red" }],
      ["a status (it changes through /complete)", { title: "t", status: "completed" }],
    ])("%s is a 400 and writes nothing", async (_name, body) => {
      const { token } = await h.signup();
      const before = await h.snapshot();
      const reply = await h.call("POST", "/api/tasks", { token, body });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe("invalid_request");
      expect(typeof reply.body.error.message).toBe("string");
      expect(await h.snapshot()).toBe(before);
    });

    test.each([
      ["a NUL byte in the title", { title: "milk\u0000" }, "/title"],
      ["an escape sequence in the title", { title: "\u001b[31mred" }, "/title"],
      ["a line break in the title", { title: "two\nlines" }, "/title"],
      ["a C1 control in the title", { title: "next\u0085line" }, "/title"],
      ["a right-to-left override in the title", { title: "invoice\u202Efdp.exe" }, "/title"],
      ["a right-to-left isolate in the title", { title: "a\u2067b\u2069" }, "/title"],
      ["a bell in the description", { title: "t", description: "ding\u0007" }, "/description"],
      ["a left-to-right override in the description", { title: "t", description: "x\u202Dy" }, "/description"],
    ])("%s is a 400 naming the field, on create and on change, and writes nothing", async (_name, body, path) => {
      const { token } = await h.signup();
      const task = await h.createTask(token, { title: "clean" });
      const before = await h.snapshot();
      for (const [method, url] of [["POST", "/api/tasks"], ["PATCH", `/api/tasks/${task.id}`]] as const) {
        const reply = await h.call(method, url, { token, body });
        expect([method, reply.status, reply.body.error.code]).toEqual([method, 400, "invalid_request"]);
        expect(reply.body.error.details.map((issue: { path: string }) => issue.path)).toContain(path);
      }
      expect(await h.snapshot()).toBe(before);
    });

    test("text may hold other scripts, emoji, and line breaks and tabs in the description", async () => {
      const { token } = await h.signup();
      const task = await h.createTask(token, { title: "دودھ خریدیں 🥛 – milk", description: "line one\n\tline two\r\n" });
      expect(task).toMatchObject({ title: "دودھ خریدیں 🥛 – milk", description: "line one\n\tline two\r\n" });
    });

    test("a body that is not JSON, or not an object, is a 400", async () => {
      const { token } = await h.signup();
      for (const raw of ["{not json", "[]", "null", '"title"', ""]) {
        const reply = await h.call("POST", "/api/tasks", { token, raw, headers: { "content-type": "application/json" } });
        expect(reply.status).toBe(400);
        expect(reply.body.error.code).toMatch(/^invalid_/);
      }
    });

    test.each([
      ["a blank title", { title: "   " }, "/title"],
      ["an impossible date", { title: "t", dueAt: "2030-02-30T09:00:00Z" }, "/dueAt"],
      ["a reminder in the past", { title: "t", remindAt: "2020-01-01T00:00:00Z" }, "/remindAt"],
      ["a rule without a due date", { title: "t", recurrence: "FREQ=DAILY" }, "/recurrence"],
      ["a rule rrule cannot read", { title: "t", dueAt: "2030-04-01T09:00:00Z", recurrence: "FREQ=DAILY;COUNT=x" }, "/recurrence"],
      ["a tag with a space", { title: "t", tags: ["two words"] }, "/tags/0"],
      ["21 tags", { title: "t", tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, "/tags"],
    ])("%s breaks a task rule: 422 naming the field, nothing written", async (_name, body, path) => {
      const { token } = await h.signup();
      const before = await h.snapshot();
      const reply = await h.call("POST", "/api/tasks", { token, body });
      expect(reply.status).toBe(422);
      expect(reply.body.error.code).toBe("invalid_task");
      expect(reply.body.error.details.map((issue: { path: string }) => issue.path)).toEqual([path]);
      expect(await h.snapshot()).toBe(before);
    });

    test("a body over 64 KiB is a 413", async () => {
      const { token } = await h.signup();
      const reply = await h.call("POST", "/api/tasks", { token, body: { title: "t", description: "x".repeat(70 * 1024) } });
      expect(reply.status).toBe(413);
      expect(reply.body.error.code).toBe("payload_too_large");
    });

    test("an unknown or malformed id is a 404", async () => {
      const { token } = await h.signup();
      for (const id of [crypto.randomUUID(), "not-a-uuid", "1", "%27%3B--"]) {
        const reply = await h.call("GET", `/api/tasks/${id}`, { token });
        expect(reply.status).toBe(404);
        expect(reply.body.error.code).toBe("not_found");
      }
    });
  });

  describe("authentication and isolation", () => {
    const routes = (id: string): [string, string][] => [
      ["GET", "/api/tasks"],
      ["POST", "/api/tasks"],
      ["GET", `/api/tasks/${id}`],
      ["PATCH", `/api/tasks/${id}`],
      ["POST", `/api/tasks/${id}/complete`],
      ["POST", `/api/tasks/${id}/reopen`],
      ["DELETE", `/api/tasks/${id}`],
    ];

    test("every task route answers 401 without a valid bearer token", async () => {
      const { token } = await h.signup();
      const task = await h.createTask(token, { title: "mine" });
      const before = await h.snapshot();
      for (const [method, path] of routes(task.id)) {
        for (const authorization of [undefined, "Bearer nonsense", `Basic ${token}`, `Bearer ${token}x`]) {
          const headers: Record<string, string> = authorization ? { authorization } : {};
          const reply = await h.call(method, path, { headers, body: method === "GET" || method === "DELETE" ? undefined : { title: "x" } });
          expect([method, path, reply.status]).toEqual([method, path, 401]);
          expect(reply.body.error.code).toBe("unauthorized");
        }
      }
      expect(await h.snapshot()).toBe(before);
    });

    test("an anonymous caller gets 401 before any validation of its body or query", async () => {
      const reply = await h.call("POST", "/api/tasks", { body: { title: "", priority: "urgent", extra: 1 } });
      expect(reply.status).toBe(401);
      const list = await h.call("GET", "/api/tasks?limit=0&sort=nonsense");
      expect(list.status).toBe(401);
    });

    test("another user's task answers 404 on every route, exactly like a missing one, and stays unchanged", async () => {
      const alice = await h.signup("alice");
      const bob = await h.signup("bob");
      const task = await h.createTask(alice.token, { title: "Alice's secret", remindAt: iso(now() + DAY) });
      const before = await h.snapshot();
      const missing = await h.call("GET", `/api/tasks/${crypto.randomUUID()}`, { token: bob.token });
      for (const [method, path] of routes(task.id).filter(([, path]) => path !== "/api/tasks")) {
        const body = method === "PATCH" ? { title: "mine now" } : undefined;
        const reply = await h.call(method, path, { token: bob.token, body });
        expect([method, path, reply.status]).toEqual([method, path, 404]);
        expect(reply.body).toEqual(missing.body);
      }
      expect(await h.snapshot()).toBe(before);
      expect((await h.call("GET", `/api/tasks/${task.id}`, { token: alice.token })).body).toEqual(task);
    });

    test("two users never see each other's tasks in lists or searches", async () => {
      const alice = await h.signup("alice");
      const bob = await h.signup("bob");
      await h.createTask(alice.token, { title: "Shared word zanzibar", tags: ["trip"] });
      await h.createTask(bob.token, { title: "Bob zanzibar too", tags: ["trip"] });
      for (const { token, userId } of [alice, bob]) {
        for (const query of ["", "?status=all", "?q=zanzibar", "?tag=trip", "?sort=title&limit=200"]) {
          const reply = await h.call("GET", `/api/tasks${query}`, { token });
          expect(reply.status).toBe(200);
          expect(reply.body.items.length).toBe(1);
          expect(reply.body.items.every((task: Task) => task.userId === userId)).toBe(true);
        }
      }
    });
  });

  describe("changing", () => {
    test("PATCH changes only the given fields, moves the version by one and says what changed", async () => {
      const { token } = await h.signup();
      const task = await h.createTask(token, { title: "Draft", description: "keep me", tags: ["a"] });
      h.clock.advance(1000);
      let reply!: Awaited<ReturnType<typeof h.call>>;
      const events = await eventsOf(async () => {
        reply = await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { title: "Final", tags: ["B", "a"], priority: "low" } });
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        ...task,
        title: "Final",
        tags: ["b", "a"],
        priority: "low",
        version: 2,
        updatedAt: h.clock.now().toISOString(),
      });
      expect(reply.headers.get("etag")).toBe('"2"');
      expect(events.map((event) => [event.type, event.data.changed, event.data.version])).toEqual([
        ["todo.task.updated.v1", ["title", "priority", "tags"], 2],
      ]);
      expect(events[0]?.data.task).toEqual(reply.body);
    });

    test("null clears a date or the rule; the series place is kept", async () => {
      const { token } = await h.signup();
      const task = await h.createTask(token, {
        title: "Gym",
        dueAt: iso(now() + DAY),
        remindAt: iso(now() + HOUR),
        recurrence: "FREQ=WEEKLY",
      });
      const cleared = await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { recurrence: null, dueAt: null, remindAt: null } });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ dueAt: null, remindAt: null, recurrence: null, seriesId: task.id, occurrence: 0, version: 2 });
    });

    test("clearing the due date of a recurring task alone is a 422", async () => {
      const { token } = await h.signup();
      const task = await h.createTask(token, { title: "Gym", dueAt: iso(now() + DAY), recurrence: "FREQ=WEEKLY" });
      const reply = await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { dueAt: null } });
      expect(reply.status).toBe(422);
      expect((await h.call("GET", `/api/tasks/${task.id}`, { token })).body).toEqual(task);
    });

    test("a PATCH that changes nothing keeps the version and publishes nothing", async () => {
      const { token } = await h.signup();
      const task = await h.createTask(token, { title: "Same", tags: ["x"], dueAt: "2030-05-01T10:00:00Z" });
      h.clock.advance(1000);
      const events = await eventsOf(async () => {
        for (const body of [{}, { title: " Same " }, { tags: ["X"] }, { dueAt: "2030-05-01T12:00:00+02:00" }]) {
          const reply = await h.call("PATCH", `/api/tasks/${task.id}`, { token, body });
          expect(reply.status).toBe(200);
          expect(reply.body).toEqual(task);
        }
      });
      expect(events).toEqual([]);
    });

    test("PATCH may not set status or other read-only fields", async () => {
      const { token } = await h.signup();
      const task = await h.createTask(token, { title: "t" });
      for (const body of [{ status: "completed" }, { version: 7 }, { id: crypto.randomUUID() }, { seriesId: task.id }]) {
        const reply = await h.call("PATCH", `/api/tasks/${task.id}`, { token, body });
        expect(reply.status).toBe(400);
      }
      expect((await h.call("GET", `/api/tasks/${task.id}`, { token })).body).toEqual(task);
    });

    test("If-Match with the current version succeeds; a stale one is a 409 that writes nothing", async () => {
      const { token } = await h.signup();
      const task = await h.createTask(token, { title: "v1" });
      const ok = await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { title: "v2" }, headers: { "if-match": '"1"' } });
      expect(ok.status).toBe(200);
      expect(ok.body.version).toBe(2);
      const before = await h.snapshot();
      const stale = await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { title: "lost update" }, headers: { "if-match": '"1"' } });
      expect(stale.status).toBe(409);
      expect(stale.body.error).toMatchObject({ code: "version_conflict", details: { currentVersion: 2 } });
      expect(await h.snapshot()).toBe(before);
      const bare = await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { title: "v3" }, headers: { "if-match": "2" } });
      expect(bare.status).toBe(200);
      const any = await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { title: "v4" }, headers: { "if-match": "*" } });
      expect(any.body.version).toBe(4);
    });

    test("a malformed If-Match is a 400, never an unguarded write", async () => {
      const { token } = await h.signup();
      const task = await h.createTask(token, { title: "v1" });
      for (const ifMatch of ["one", 'W/"1"', '"1", "2"', '"0"']) {
        const reply = await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { title: "x" }, headers: { "if-match": ifMatch } });
        expect(reply.status).toBe(400);
        expect(reply.body.error.code).toBe("invalid_if_match");
      }
      expect((await h.call("GET", `/api/tasks/${task.id}`, { token })).body).toEqual(task);
    });

    test("a stale If-Match on a missing task is still a 404", async () => {
      const { token } = await h.signup();
      const reply = await h.call("PATCH", `/api/tasks/${crypto.randomUUID()}`, { token, body: { title: "x" }, headers: { "if-match": '"9"' } });
      expect(reply.status).toBe(404);
    });

    test.each([
      ["DELETE", "", 204],
      ["POST", "/complete", 200],
      ["POST", "/reopen", 200],
    ] as const)("%s %s honours If-Match: a stale version is a 409 that writes nothing, the current one goes through", async (method, suffix, status) => {
      const { token } = await h.signup();
      const task = await h.createTask(token, { title: "v1" });
      await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { title: "v2" } });
      // reopen only changes a completed task
      if (suffix === "/reopen") await h.call("POST", `/api/tasks/${task.id}/complete`, { token });
      const current = (await h.call("GET", `/api/tasks/${task.id}`, { token })).body.version;
      const path = `/api/tasks/${task.id}${suffix}`;
      const before = await h.snapshot();
      const stale = await h.call(method, path, { token, headers: { "if-match": `"${current - 1}"` } });
      expect(stale.status).toBe(409);
      expect(stale.body.error).toMatchObject({ code: "version_conflict", details: { currentVersion: current } });
      expect(await h.snapshot()).toBe(before);
      const malformed = await h.call(method, path, { token, headers: { "if-match": "W/\"1\"" } });
      expect(malformed.status).toBe(400);
      expect(await h.snapshot()).toBe(before);
      expect((await h.call(method, path, { token, headers: { "if-match": `"${current}"` } })).status).toBe(status);
    });

    test("complete and reopen are idempotent: the second call changes and publishes nothing", async () => {
      const { token } = await h.signup();
      const task = await h.createTask(token, { title: "Laundry" });
      h.clock.advance(1000);
      const completing = await eventsOf(async () => {
        const first = await h.call("POST", `/api/tasks/${task.id}/complete`, { token });
        expect(first.status).toBe(200);
        expect(first.body).toMatchObject({ status: "completed", completedAt: h.clock.now().toISOString(), version: 2 });
        h.clock.advance(1000);
        const again = await h.call("POST", `/api/tasks/${task.id}/complete`, { token });
        expect(again.status).toBe(200);
        expect(again.body).toEqual(first.body);
      });
      expect(types(completing)).toEqual(["todo.task.completed.v1"]);

      const reopening = await eventsOf(async () => {
        const first = await h.call("POST", `/api/tasks/${task.id}/reopen`, { token });
        expect(first.body).toMatchObject({ status: "pending", completedAt: null, version: 3 });
        const again = await h.call("POST", `/api/tasks/${task.id}/reopen`, { token });
        expect(again.body).toEqual(first.body);
      });
      expect(reopening.map((event) => [event.type, event.data.changed])).toEqual([["todo.task.updated.v1", ["status", "completedAt"]]]);
    });

    test("DELETE answers 204; the task is then gone for every route, and a second DELETE is a 404", async () => {
      const { token } = await h.signup();
      const task = await h.createTask(token, { title: "Temp" });
      const events = await eventsOf(async () => {
        const reply = await h.call("DELETE", `/api/tasks/${task.id}`, { token });
        expect(reply.status).toBe(204);
        expect(reply.body).toBeUndefined();
      });
      expect(events.map((event) => [event.type, event.data.version, event.data.task.deletedAt])).toEqual([
        ["todo.task.deleted.v1", 2, h.clock.now().toISOString()],
      ]);
      expect((await h.call("GET", `/api/tasks/${task.id}`, { token })).status).toBe(404);
      expect((await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { title: "back" } })).status).toBe(404);
      expect((await h.call("POST", `/api/tasks/${task.id}/complete`, { token })).status).toBe(404);
      expect((await h.call("DELETE", `/api/tasks/${task.id}`, { token })).status).toBe(404);
      expect((await h.call("GET", "/api/tasks?status=all", { token })).body.items).toEqual([]);
    });
  });

  describe("events in the outbox", () => {
    test("a task's life writes exactly its events, in order, keyed by the task id", async () => {
      const { token, userId } = await h.signup();
      const remindAt = iso(now() + DAY);
      const movedTo = iso(now() + 2 * DAY);
      let task!: Task;
      const events = await eventsOf(async () => {
        task = await h.createTask(token, { title: "Dentist", remindAt });
        await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { description: "bring the card" } });
        await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { remindAt: movedTo } });
        await h.call("POST", `/api/tasks/${task.id}/complete`, { token });
        await h.call("POST", `/api/tasks/${task.id}/complete`, { token });
        await h.call("POST", `/api/tasks/${task.id}/reopen`, { token });
        await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { remindAt: null } });
        await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { remindAt } });
        await h.call("DELETE", `/api/tasks/${task.id}`, { token });
      });
      const first = reminderIdOf({ id: task.id, remindAt });
      const moved = reminderIdOf({ id: task.id, remindAt: movedTo });
      expect(
        events.map((event) => [event.type, event.data.version, event.data.changed ?? event.data.reminderId ?? null, event.data.reason ?? null]),
      ).toEqual([
        ["todo.task.created.v1", 1, null, null],
        ["todo.reminder.scheduled.v1", 1, first, null],
        ["todo.task.updated.v1", 2, ["description"], null],
        ["todo.task.updated.v1", 3, ["remindAt"], null],
        ["todo.reminder.cancelled.v1", 3, first, "rescheduled"],
        ["todo.reminder.scheduled.v1", 3, moved, null],
        ["todo.task.completed.v1", 4, null, null],
        ["todo.reminder.cancelled.v1", 4, moved, "completed"],
        ["todo.task.updated.v1", 5, ["status", "completedAt"], null],
        ["todo.reminder.scheduled.v1", 5, moved, null],
        ["todo.task.updated.v1", 6, ["remindAt"], null],
        ["todo.reminder.cancelled.v1", 6, moved, "cleared"],
        ["todo.task.updated.v1", 7, ["remindAt"], null],
        ["todo.reminder.scheduled.v1", 7, first, null],
        ["todo.task.deleted.v1", 8, null, null],
        ["todo.reminder.cancelled.v1", 8, first, "deleted"],
      ]);
      for (const event of events) {
        expect(event.partitionKey).toBe(task.id);
        expect(event.topic).toBe(event.type.startsWith("todo.task.") ? "task-events" : "reminder-events");
        expect(event.data.userId).toBe(userId);
        expect(event.publishedAt).toBeNull();
      }
      expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
    });

    test("a rejected change writes no event", async () => {
      const { token } = await h.signup();
      const task = await h.createTask(token, { title: "t" });
      const events = await eventsOf(async () => {
        await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { remindAt: "2000-01-01T00:00:00Z" } });
        await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { title: "x" }, headers: { "if-match": '"5"' } });
        await h.call("POST", "/api/tasks", { token, body: { title: "" } });
      });
      expect(events).toEqual([]);
    });
  });

  describe("filters", () => {
    let token: string;
    const byTitle = async (query: string) => {
      const reply = await h.call("GET", `/api/tasks${query}`, { token });
      expect([query, reply.status]).toEqual([query, 200]);
      return (reply.body.items as Task[]).map((task) => task.title).sort();
    };

    beforeAll(async () => {
      ({ token } = await h.signup("filters"));
      const at = now();
      const create = (body: Record<string, unknown>) => h.createTask(token, body);
      await create({ title: "Pay rent", description: "transfer to landlord", priority: "high", tags: ["home", "money"], dueAt: iso(at - DAY) });
      await create({ title: "Running shoes", description: "buy new ones", priority: "low", tags: ["sport"], dueAt: iso(at + DAY) });
      await create({ title: "Call Ayesha", description: "", priority: "medium", tags: ["family", "home"] });
      await create({ title: "Tax return", description: "money matters", priority: "high", tags: ["money"], dueAt: iso(at + 10 * DAY) });
      const done = await create({ title: "Old chore", tags: ["home"], dueAt: iso(at - 2 * DAY) });
      await h.call("POST", `/api/tasks/${done.id}/complete`, { token });
    });

    test("status is pending by default; completed and all as asked", async () => {
      expect(await byTitle("")).toEqual(["Call Ayesha", "Pay rent", "Running shoes", "Tax return"]);
      expect(await byTitle("?status=completed")).toEqual(["Old chore"]);
      expect(await byTitle("?status=all")).toHaveLength(5);
    });

    test("priority matches exactly", async () => {
      expect(await byTitle("?priority=high")).toEqual(["Pay rent", "Tax return"]);
      expect(await byTitle("?priority=none")).toEqual([]);
    });

    test("tags are repeatable and all must match, whatever their case", async () => {
      expect(await byTitle("?tag=home")).toEqual(["Call Ayesha", "Pay rent"]);
      expect(await byTitle("?tag=home&tag=MONEY")).toEqual(["Pay rent"]);
      expect(await byTitle("?tag=home&tag=sport")).toEqual([]);
      expect(await byTitle("?tag=home&status=all")).toEqual(["Call Ayesha", "Old chore", "Pay rent"]);
    });

    test("q searches title, description and tags, with English stems and plain words", async () => {
      expect(await byTitle("?q=rent")).toEqual(["Pay rent"]);
      expect(await byTitle("?q=landlord")).toEqual(["Pay rent"]);
      expect(await byTitle("?q=run")).toEqual(["Running shoes"]);
      expect(await byTitle("?q=family")).toEqual(["Call Ayesha"]);
      expect(await byTitle("?q=ayesha")).toEqual(["Call Ayesha"]);
      expect(await byTitle("?q=money")).toEqual(["Pay rent", "Tax return"]);
      expect(await byTitle("?q=money%20-tax")).toEqual(["Pay rent"]);
      expect(await byTitle(`?q=${encodeURIComponent('"tax return"')}`)).toEqual(["Tax return"]);
      expect(await byTitle("?q=nothing-like-this")).toEqual([]);
      expect(await byTitle("?q=%20%20")).toHaveLength(4);
    });

    test("dueBefore is exclusive, dueAfter inclusive; tasks without a due date drop out", async () => {
      const at = now();
      expect(await byTitle(`?dueBefore=${encodeURIComponent(iso(at))}`)).toEqual(["Pay rent"]);
      expect(await byTitle(`?dueAfter=${encodeURIComponent(iso(at))}`)).toEqual(["Running shoes", "Tax return"]);
      expect(await byTitle(`?dueAfter=${encodeURIComponent(iso(at + DAY))}&dueBefore=${encodeURIComponent(iso(at + 10 * DAY))}`)).toEqual([
        "Running shoes",
      ]);
      expect(await byTitle(`?dueBefore=${encodeURIComponent(iso(at + 10 * DAY))}`)).toEqual(["Pay rent", "Running shoes"]);
    });

    test("overdue means pending and due before now", async () => {
      expect(await byTitle("?overdue=true")).toEqual(["Pay rent"]);
      expect(await byTitle("?overdue=true&status=all")).toEqual(["Pay rent"]);
      expect(await byTitle("?overdue=false")).toHaveLength(4);
    });

    test("filters combine", async () => {
      expect(await byTitle("?tag=money&priority=high&q=transfer")).toEqual(["Pay rent"]);
    });

    test.each([
      "?status=done",
      "?priority=urgent",
      "?sort=random",
      "?order=up",
      "?limit=0",
      "?limit=201",
      "?limit=2.5",
      "?limit=ten",
      "?overdue=yes",
      "?dueBefore=tomorrow",
      "?dueAfter=2030-02-30T00:00:00Z",
      "?tag=not%20a%20tag",
      "?cursor=bogus",
      "?sortBy=due",
      `?q=${"x".repeat(201)}`,
    ])("%s is a 400", async (query) => {
      const reply = await h.call("GET", `/api/tasks${query}`, { token });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toMatch(/^invalid_/);
    });

    test("limit accepts 1 to 200 and defaults to 50", async () => {
      expect((await h.call("GET", "/api/tasks?limit=1", { token })).body.items).toHaveLength(1);
      expect((await h.call("GET", "/api/tasks?limit=200", { token })).body.items).toHaveLength(4);
    });
  });

  describe("sorting and paging", () => {
    let token: string;
    let all: Task[];
    const RANK = { high: 3, medium: 2, low: 1, none: 0 } as const;
    type Sort = "due" | "priority" | "title" | "created" | "updated";
    const keyOf = (task: Task, sort: Sort): string | number | null =>
      ({ due: task.dueAt, priority: RANK[task.priority], title: task.title.toLowerCase(), created: task.createdAt, updated: task.updatedAt })[sort];

    /** The documented order: by key (NULL due dates last either way), then by id in the same direction. */
    function expected(tasks: Task[], sort: Sort, order: "asc" | "desc"): string[] {
      const sign = order === "asc" ? 1 : -1;
      return [...tasks]
        .sort((a, b) => {
          const [ka, kb] = [keyOf(a, sort), keyOf(b, sort)];
          if (ka === null || kb === null) {
            if (ka !== kb) return ka === null ? 1 : -1;
          } else if (ka !== kb) {
            return ka < kb ? -sign : sign;
          }
          return a.id < b.id ? -sign : sign;
        })
        .map((task) => task.id);
    }

    async function pageThrough(query: string, limit: number, between?: (page: number) => Promise<void>, as = token) {
      const ids: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 100; page++) {
        const reply: { status: number; body: { items: Task[]; nextCursor: string | null } } = await h.call(
          "GET",
          `/api/tasks?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
          { token: as },
        );
        expect(reply.status).toBe(200);
        expect(reply.body.items.length).toBeLessThanOrEqual(limit);
        ids.push(...reply.body.items.map((task) => task.id));
        cursor = reply.body.nextCursor;
        if (cursor === null) return ids;
        expect(reply.body.items).toHaveLength(limit);
        await between?.(page);
      }
      throw new Error("paging did not end");
    }

    beforeAll(async () => {
      ({ token } = await h.signup("pager"));
      // A fixed pseudo-random mix with many ties in every sort key, so the id tie-breaker matters.
      let seed = 7;
      const next = (n: number) => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed % n;
      };
      const titles = ["apple", "Apple", "banana", "cherry", "Date", "elder", "fig", "Zebra"];
      const priorities = ["high", "medium", "low", "none"];
      const base = now();
      const created: Task[] = [];
      for (let i = 0; i < 120; i++) {
        if (next(3) > 0) h.clock.advance(next(4));
        const dueChoice = next(5);
        created.push(
          await h.createTask(token, {
            title: `${titles[next(titles.length)]}${next(2) ? "" : ` ${next(3)}`}`,
            priority: priorities[next(4)],
            dueAt: dueChoice === 0 ? null : iso(base + next(6) * DAY),
          }),
        );
      }
      for (const task of created.filter((_, i) => i % 4 === 0)) {
        if (next(2)) h.clock.advance(1 + next(3));
        const path = next(3) === 0 ? `/api/tasks/${task.id}/complete` : `/api/tasks/${task.id}`;
        const reply = await h.call(path.endsWith("complete") ? "POST" : "PATCH", path, { token, body: path.endsWith("complete") ? undefined : { priority: "high" } });
        expect(reply.status).toBe(200);
      }
      all = (await h.call("GET", "/api/tasks?status=all&limit=200", { token })).body.items;
      expect(all).toHaveLength(120);
    }, 60_000);

    for (const sort of ["due", "priority", "title", "created", "updated"] as const) {
      for (const order of ["asc", "desc"] as const) {
        test(`paging by ${sort} ${order} visits all 120 tasks once, in order`, async () => {
          const ids = await pageThrough(`status=all&sort=${sort}&order=${order}`, 7);
          expect(ids).toEqual(expected(all, sort, order));
        });
      }
    }

    test("each sort has a natural default order: soonest due, most important, A-Z, newest", async () => {
      for (const [sort, order] of [["due", "asc"], ["priority", "desc"], ["title", "asc"], ["created", "desc"], ["updated", "desc"]] as const) {
        const reply = await h.call("GET", `/api/tasks?status=all&sort=${sort}&limit=200`, { token });
        expect(reply.body.items.map((task: Task) => task.id)).toEqual(expected(all, sort, order));
      }
      const unsorted = await h.call("GET", "/api/tasks?status=all&limit=200", { token });
      expect(unsorted.body.items.map((task: Task) => task.id)).toEqual(expected(all, "created", "desc"));
    });

    test("tasks without a due date come last in both orders", async () => {
      for (const order of ["asc", "desc"]) {
        const items: Task[] = (await h.call("GET", `/api/tasks?status=all&sort=due&order=${order}&limit=200`, { token })).body.items;
        const firstNull = items.findIndex((task) => task.dueAt === null);
        expect(firstNull).toBeGreaterThan(0);
        expect(items.slice(firstNull).every((task) => task.dueAt === null)).toBe(true);
      }
    });

    test("the last page says nextCursor: null, also when it is exactly full", async () => {
      const reply = await h.call("GET", "/api/tasks?status=all&limit=120", { token });
      expect(reply.body.items).toHaveLength(120);
      expect(reply.body.nextCursor).toBeNull();
      const pages = await pageThrough("status=all&sort=title", 60);
      expect(pages).toHaveLength(120);
    });

    test("a cursor used with another sort, order or filter is a 400", async () => {
      const first = await h.call("GET", "/api/tasks?status=all&sort=due&limit=5", { token });
      const cursor = first.body.nextCursor as string;
      expect((await h.call("GET", `/api/tasks?status=all&sort=due&limit=9&cursor=${cursor}`, { token })).status).toBe(200);
      for (const query of ["status=all&sort=title", "status=all&sort=due&order=desc", "status=pending&sort=due", "status=all&sort=due&tag=home"]) {
        const reply = await h.call("GET", `/api/tasks?${query}&cursor=${cursor}`, { token });
        expect([query, reply.status, reply.body.error?.code]).toEqual([query, 400, "invalid_cursor"]);
      }
    });

    test("paging stays stable while other tasks are created, edited, completed and deleted between pages", async () => {
      const { token } = await h.signup("busy");
      const originals: Task[] = [];
      for (let i = 0; i < 40; i++) {
        originals.push(await h.createTask(token, { title: `task ${i}`, dueAt: i % 5 === 0 ? null : iso(now() + (i % 7) * HOUR) }));
      }
      const touched = new Set<string>();
      const ids = await pageThrough("sort=due", 6, async (page) => {
        // New tasks land before and after the cursor; edits leave the sort key alone except for the ones recorded.
        await h.createTask(token, { title: `new ${page}a`, dueAt: iso(now() + page * HOUR) });
        await h.createTask(token, { title: `new ${page}b` });
        const edited = originals[(page * 7) % 40] as Task;
        await h.call("PATCH", `/api/tasks/${edited.id}`, { token, body: { title: `edited ${page}` } });
        const moved = originals[(page * 11 + 3) % 40] as Task;
        await h.call("PATCH", `/api/tasks/${moved.id}`, { token, body: { dueAt: iso(now() + 30 * DAY) } });
        touched.add(moved.id);
        const gone = originals[(page * 13 + 5) % 40] as Task;
        await h.call(page % 2 ? "DELETE" : "POST", page % 2 ? `/api/tasks/${gone.id}` : `/api/tasks/${gone.id}/complete`, { token });
        touched.add(gone.id);
      }, token);
      const counts = new Map<string, number>();
      for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
      for (const task of originals.filter((task) => !touched.has(task.id))) {
        expect([task.title, counts.get(task.id)]).toEqual([task.title, 1]);
      }
      for (const id of touched) expect(counts.get(id) ?? 0).toBeLessThanOrEqual(2);
      const unchanged = ids.filter((id) => !touched.has(id) && counts.get(id) === 1);
      expect(new Set(unchanged).size).toBe(unchanged.length);
    }, 30_000);
  });

  describe("internal occurrence route", () => {
    const path = (seriesId: string) => `/internal/series/${seriesId}/occurrences`;
    /** `token: null` sends no dapr-api-token header at all. */
    const internal = (body: unknown, seriesId: string, token: string | null = APP_TOKEN) =>
      h.call("POST", path(seriesId), { body, headers: token === null ? {} : { "dapr-api-token": token } });

    async function anchor() {
      const user = await h.signup("series");
      const task = await h.createTask(user.token, {
        title: "Water plants",
        tags: ["home"],
        dueAt: iso(now() + DAY),
        recurrence: "FREQ=WEEKLY",
      });
      return { ...user, task };
    }

    test("needs the Dapr app token: 401 without it or with another, and nothing is written", async () => {
      const { userId, task } = await anchor();
      const before = await h.snapshot();
      const body = { userId, occurrence: 1, title: "Water plants", dueAt: iso(now() + 8 * DAY), recurrence: "FREQ=WEEKLY" };
      for (const token of [null, "wrong", `${APP_TOKEN}x`, ""]) {
        const reply = await internal(body, task.id, token);
        expect(reply.status).toBe(401);
        expect(reply.body.error.code).toBe("unauthorized");
      }
      // The token is checked by a hook of the route (before validation, after the JSON is read): a body that is
      // not JSON is refused as such, and either way nothing is written.
      const garbage = await h.call("POST", path(task.id), { raw: "{not json", headers: { "content-type": "application/json" } });
      expect(garbage.status).toBe(400);
      expect(garbage.body.error.code).toBe("invalid_body");
      const invalid = await h.call("POST", path(task.id), { raw: "{}", headers: { "content-type": "application/json" } });
      expect(invalid.status).toBe(401);
      expect(await h.snapshot()).toBe(before);
    });

    test("creates the occurrence once: 201, then 200 with the same task on a repeat", async () => {
      const { userId, token, task } = await anchor();
      const dueAt = iso(now() + 8 * DAY);
      const body = { userId, occurrence: 1, title: "Water plants", tags: ["home"], dueAt, recurrence: "FREQ=WEEKLY" };
      let first!: Awaited<ReturnType<typeof internal>>;
      const events = await eventsOf(async () => {
        first = await internal(body, task.id);
        expect(first.status).toBe(201);
        const again = await internal({ ...body, title: "changed by a retry" }, task.id);
        expect(again.status).toBe(200);
        expect(again.body).toEqual({ task: first.body.task, created: false });
      });
      expect(first.body.created).toBe(true);
      expect(first.body.task).toMatchObject({ userId, seriesId: task.id, occurrence: 1, dueAt, version: 1, status: "pending", tags: ["home"] });
      expect(types(events)).toEqual(["todo.task.created.v1"]);
      expect((await h.call("GET", `/api/tasks/${first.body.task.id}`, { token })).body).toEqual(first.body.task);
    });

    test("an occurrence keeps the series' time zone, even after its owner moved to another one", async () => {
      const { userId, token } = await h.signup("series");
      expect((await h.call("PATCH", "/api/me", { token, body: { timeZone: "Asia/Karachi" } })).status).toBe(200);
      const series = await h.createTask(token, { title: "Prayer", dueAt: iso(now() + DAY), recurrence: "FREQ=DAILY" });
      expect(series.timeZone).toBe("Asia/Karachi");
      expect((await h.call("PATCH", "/api/me", { token, body: { timeZone: "Europe/Paris" } })).status).toBe(200);
      const reply = await internal({ userId, occurrence: 1, title: "Prayer", dueAt: iso(now() + 2 * DAY), recurrence: "FREQ=DAILY" }, series.id);
      expect(reply.status).toBe(201);
      expect(reply.body.task.timeZone).toBe("Asia/Karachi");
    });

    test("concurrent requests for the same slot create exactly one task", async () => {
      const { userId, task } = await anchor();
      const body = { userId, occurrence: 2, title: "Water plants", dueAt: iso(now() + 15 * DAY), recurrence: "FREQ=WEEKLY" };
      const before = await h.lastSeq();
      const replies = await Promise.all(Array.from({ length: 8 }, () => internal(body, task.id)));
      expect(replies.map((reply) => reply.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
      expect(new Set(replies.map((reply) => reply.body.task.id)).size).toBe(1);
      expect(types(await h.outbox(before))).toEqual(["todo.task.created.v1"]);
    });

    test("a slot whose task was deleted stays taken", async () => {
      const { userId, token, task } = await anchor();
      const body = { userId, occurrence: 3, title: "Water plants", dueAt: iso(now() + 22 * DAY) };
      const created = await internal(body, task.id);
      await h.call("DELETE", `/api/tasks/${created.body.task.id}`, { token });
      const again = await internal(body, task.id);
      expect(again.status).toBe(200);
      expect(again.body.created).toBe(false);
      expect(again.body.task.id).toBe(created.body.task.id);
      expect(again.body.task.deletedAt).not.toBeNull();
    });

    test("a series of another user, or an id that is no series anchor, is a 404", async () => {
      const { task } = await anchor();
      const stranger = await h.signup("stranger");
      const plain = await h.createTask(stranger.token, { title: "not recurring" });
      const body = (userId: string) => ({ userId, occurrence: 1, title: "x", dueAt: iso(now() + DAY) });
      expect((await internal(body(stranger.userId), task.id)).status).toBe(404);
      expect((await internal(body(stranger.userId), plain.id)).status).toBe(404);
      expect((await internal(body(stranger.userId), "not-a-uuid")).status).toBe(404);
      expect((await internal(body("not-a-uuid"), task.id)).status).toBe(404);
    });

    test("bad bodies are 400 or 422 like the public routes", async () => {
      const { userId, task } = await anchor();
      expect((await internal({ userId, occurrence: -1, title: "x" }, task.id)).status).toBe(400);
      expect((await internal({ userId, occurrence: 1.5, title: "x" }, task.id)).status).toBe(400);
      expect((await internal({ userId, occurrence: 1, title: "x", extra: true }, task.id)).status).toBe(400);
      expect((await internal({ userId, occurrence: 1, title: " " }, task.id)).status).toBe(422);
    });

    test("is not part of the public API or its documentation", async () => {
      const docs = await h.call("GET", "/api/docs/json");
      expect(docs.status).toBe(200);
      const paths = Object.keys(docs.body.paths);
      expect(paths).toContain("/api/tasks");
      expect(paths).toContain("/api/tasks/{id}/complete");
      expect(paths.some((documented) => documented.startsWith("/internal"))).toBe(false);
    });
  });

  describe("the outbox relay", () => {
    test("publishes every committed change in order with the task id as partition key, through a sidecar outage", async () => {
      const { token } = await h.signup("relay");
      h.dapr.failNext(3);
      h.background.start();
      const task = await h.createTask(token, { title: "Publish me", remindAt: iso(now() + DAY) });
      await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { title: "Published" } });
      await h.call("POST", `/api/tasks/${task.id}/complete`, { token });
      const rows = await waitFor(
        async () => {
          const pending = await h.db.query("SELECT 1 FROM outbox WHERE published_at IS NULL");
          return pending.length === 0 && (await h.outbox());
        },
        { timeoutMs: 10_000, message: "every outbox row published" },
      );
      const firstOfTask = rows.findIndex((row) => row.partitionKey === task.id);
      const ofTask = rows.slice(firstOfTask).filter((row) => row.partitionKey === task.id);
      const published = h.dapr.published.filter((entry) => entry.partitionKey === task.id);
      expect(published.map((entry) => entry.event.id)).toEqual(ofTask.map((row) => row.id));
      expect(published.map((entry) => entry.event.type)).toEqual([
        "todo.task.created.v1",
        "todo.reminder.scheduled.v1",
        "todo.task.updated.v1",
        "todo.task.completed.v1",
        "todo.reminder.cancelled.v1",
      ]);
      expect(published.map((entry) => entry.topic)).toEqual(["task-events", "reminder-events", "task-events", "task-events", "reminder-events"]);
      // Every row of the whole suite so far went out exactly once, in seq order.
      expect(h.dapr.published.map((entry) => entry.event.id)).toEqual(rows.map((row) => row.id));
    }, 20_000);
  });
});

describe.each(testDatabases())("an app with 3 writes a minute and no app token, on $name", ({ open }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(open, { writesPerMinute: 3, appApiToken: null });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  test("a user over the limit gets 429 with Retry-After, writes nothing, and may read and write again later", async () => {
    const { token } = await h.signup();
    const other = await h.signup();
    const task = await h.createTask(token, { title: "one" });
    await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { title: "two" } });
    await h.call("POST", `/api/tasks/${task.id}/complete`, { token });
    const before = await h.snapshot();
    for (const [method, path] of [
      ["POST", "/api/tasks"],
      ["PATCH", `/api/tasks/${task.id}`],
      ["POST", `/api/tasks/${task.id}/reopen`],
      ["DELETE", `/api/tasks/${task.id}`],
    ] as const) {
      const reply = await h.call(method, path, { token, body: method === "POST" || method === "PATCH" ? { title: "x" } : undefined });
      expect([method, path, reply.status]).toEqual([method, path, 429]);
      expect(reply.body.error.code).toBe("rate_limited");
      expect(Number(reply.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    expect(await h.snapshot()).toBe(before);
    expect((await h.call("GET", "/api/tasks?status=all", { token })).status).toBe(200);
    expect((await h.call("POST", "/api/tasks", { token: other.token, body: { title: "others are not limited" } })).status).toBe(201);
    h.clock.advance(20_001);
    expect((await h.call("POST", `/api/tasks/${task.id}/reopen`, { token })).status).toBe(200);
  });

  test("without a configured app token the internal route takes calls without one (reachability is the guard)", async () => {
    const { token, userId } = await h.signup();
    const anchor = await h.createTask(token, { title: "Series", dueAt: "2030-04-01T09:00:00Z", recurrence: "FREQ=DAILY" });
    const reply = await h.call("POST", `/internal/series/${anchor.id}/occurrences`, {
      body: { userId, occurrence: 1, title: "Series", dueAt: "2030-04-02T09:00:00Z", recurrence: "FREQ=DAILY" },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.task).toMatchObject({ seriesId: anchor.id, occurrence: 1 });
  });
});
