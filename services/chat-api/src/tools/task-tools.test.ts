import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { AppError, createMemoryLogger, type Task } from "@todo/common";
import { testDatabases } from "@todo/testkit/databases";
import { createHarness, type Harness, type OutboxEntry } from "../tasks/api.fixture.ts";
import { createWriteRateLimiter } from "../http/rate-limit.ts";
import { createTaskService } from "../tasks/task-service.ts";
import { createTaskTools, type TaskTool, type ToolName } from "./task-tools.ts";

/**
 * Every tool against the REST route it mirrors, on the same database: the
 * same input gives the same task and the same outbox events (ids aside).
 */
const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const withoutIds = (value: unknown) => JSON.parse(JSON.stringify(value ?? null).replace(UUIDS, "<id>"));
const eventShapes = (events: OutboxEntry[]) => events.map((event) => ({ type: event.type, topic: event.topic, data: withoutIds(event.data) }));

describe.each(testDatabases())("task tools on $name", ({ open }) => {
  let h: Harness;
  let tools: TaskTool[];
  beforeAll(async () => {
    h = await createHarness(open);
    const tasks = createTaskService({ db: h.db, outbox: { notify() {} }, now: h.clock.now, logger: createMemoryLogger("tools-test") });
    tools = createTaskTools(tasks, createWriteRateLimiter({ perMinute: 1_000_000 }));
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const toolNamed = (name: ToolName) => {
    const found = tools.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`no tool ${name}`);
    return found;
  };
  const run = (name: ToolName, userId: string, input: unknown) => toolNamed(name).run(userId, input);
  async function eventsOf<T>(work: () => Promise<T>): Promise<{ result: T; events: ReturnType<typeof eventShapes> }> {
    const before = await h.lastSeq();
    const result = await work();
    return { result, events: eventShapes(await h.outbox(before)) };
  }
  /** Runs the same change through REST and through the tool, each on its own fresh task made from `seed`. */
  async function compare(
    seed: Record<string, unknown>,
    rest: (token: string, id: string) => Promise<unknown>,
    viaTool: (userId: string, id: string) => Promise<unknown>,
  ) {
    const { token, userId } = await h.signup();
    const first = await h.createTask(token, seed);
    const second = await h.createTask(token, seed);
    const byRest = await eventsOf(() => rest(token, first.id));
    const byTool = await eventsOf(() => viaTool(userId, second.id));
    return { byRest, byTool, first, second, userId, token };
  }

  test("there is one tool for each task operation, each with an object input schema", () => {
    expect(tools.map((tool) => tool.name).sort()).toEqual(
      ["add_task", "complete_task", "delete_task", "get_task", "list_tasks", "reopen_task", "set_recurrence", "set_reminder", "update_task"].sort() as ToolName[],
    );
    for (const tool of tools) {
      expect(tool.description.length).toBeGreaterThan(10);
      expect(tool.input.type).toBe("object");
    }
  });

  test("add_task creates the same task and the same events as POST /api/tasks", async () => {
    const { token, userId } = await h.signup();
    const body = { title: "Buy milk", priority: "high", tags: ["Home", "shop"], dueAt: "2030-03-02T17:00:00+05:00" };
    const byRest = await eventsOf(async () => (await h.call("POST", "/api/tasks", { token, body })).body as Task);
    const byTool = await eventsOf(() => run("add_task", userId, body) as Promise<Task>);
    expect(withoutIds(byTool.result)).toEqual(withoutIds(byRest.result));
    expect(byTool.result.tags).toEqual(["home", "shop"]);
    expect(byTool.events).toEqual(byRest.events);
    expect(byTool.events.map((event) => event.type)).toContain("todo.task.created.v1");
  });

  test("list_tasks filters, searches and sorts like GET /api/tasks", async () => {
    const { token, userId } = await h.signup();
    await h.createTask(token, { title: "Write report", tags: ["work"], priority: "high", dueAt: "2030-03-05T09:00:00Z" });
    await h.createTask(token, { title: "File taxes", tags: ["work"], priority: "low", dueAt: "2030-03-03T09:00:00Z" });
    await h.createTask(token, { title: "Water plants", tags: ["home"] });
    const page = (await run("list_tasks", userId, { tag: ["work"], sort: "due" })) as { items: Task[]; nextCursor: string | null };
    expect(page.items.map((task) => task.title)).toEqual(["File taxes", "Write report"]);
    expect(page).toEqual((await h.call("GET", "/api/tasks?tag=work&sort=due", { token })).body);

    const search = (await run("list_tasks", userId, { q: "plants" })) as { items: Task[] };
    expect(search.items.map((task) => task.title)).toEqual(["Water plants"]);
    const urgent = (await run("list_tasks", userId, { priority: "high", status: "all" })) as { items: Task[] };
    expect(urgent.items.map((task) => task.title)).toEqual(["Write report"]);
    const limited = (await run("list_tasks", userId, { limit: 1, sort: "title" })) as { items: Task[]; nextCursor: string | null };
    expect(limited.items.map((task) => task.title)).toEqual(["File taxes"]);
    const next = (await run("list_tasks", userId, { limit: 1, sort: "title", cursor: limited.nextCursor })) as { items: Task[] };
    expect(next.items.map((task) => task.title)).toEqual(["Water plants"]);
  });

  test("get_task returns the task as GET /api/tasks/:id does", async () => {
    const { token, userId } = await h.signup();
    const task = await h.createTask(token, { title: "Call mum" });
    expect(await run("get_task", userId, { id: task.id })).toEqual((await h.call("GET", `/api/tasks/${task.id}`, { token })).body);
  });

  test("update_task changes the given fields like PATCH /api/tasks/:id, with the same events", async () => {
    const patch = { title: "Renamed", priority: "medium", tags: ["errand"], dueAt: "2030-03-04T10:00:00Z" };
    const { byRest, byTool } = await compare(
      { title: "Original" },
      async (token, id) => (await h.call("PATCH", `/api/tasks/${id}`, { token, body: patch })).body,
      (userId, id) => run("update_task", userId, { id, ...patch }),
    );
    expect(withoutIds(byTool.result)).toEqual(withoutIds(byRest.result));
    expect((byTool.result as Task).title).toBe("Renamed");
    expect(byTool.events).toEqual(byRest.events);
    expect(byTool.events.length).toBeGreaterThan(0);
  });

  test("complete_task and reopen_task match the REST routes, events included", async () => {
    const completedPair = await compare(
      { title: "Finish me" },
      async (token, id) => (await h.call("POST", `/api/tasks/${id}/complete`, { token })).body,
      (userId, id) => run("complete_task", userId, { id }),
    );
    expect((completedPair.byTool.result as Task).status).toBe("completed");
    expect(withoutIds(completedPair.byTool.result)).toEqual(withoutIds(completedPair.byRest.result));
    expect(completedPair.byTool.events).toEqual(completedPair.byRest.events);

    const { token, userId } = completedPair;
    const byRest = await eventsOf(async () => (await h.call("POST", `/api/tasks/${completedPair.first.id}/reopen`, { token })).body);
    const byTool = await eventsOf(() => run("reopen_task", userId, { id: completedPair.second.id }));
    expect((byTool.result as Task).status).toBe("pending");
    expect(withoutIds(byTool.result)).toEqual(withoutIds(byRest.result));
    expect(byTool.events).toEqual(byRest.events);
  });

  test("delete_task answers { deleted: true, id } and writes the same events as DELETE", async () => {
    const { byRest, byTool, second, token } = await compare(
      { title: "Throw away" },
      async (token, id) => (await h.call("DELETE", `/api/tasks/${id}`, { token })).status,
      (userId, id) => run("delete_task", userId, { id }),
    );
    expect(byRest.result).toBe(204);
    expect(byTool.result).toEqual({ deleted: true, id: second.id });
    expect(byTool.events).toEqual(byRest.events);
    expect((await h.call("GET", `/api/tasks/${second.id}`, { token })).status).toBe(404);
  });

  test("set_reminder sets and clears remindAt like PATCH { remindAt }", async () => {
    const remindAt = "2030-03-02T08:00:00.000Z";
    const { byRest, byTool, userId, second } = await compare(
      { title: "Dentist", dueAt: "2030-03-02T10:00:00Z" },
      async (token, id) => (await h.call("PATCH", `/api/tasks/${id}`, { token, body: { remindAt } })).body,
      (userId, id) => run("set_reminder", userId, { id, remindAt }),
    );
    expect((byTool.result as Task).remindAt).toBe(remindAt);
    expect(withoutIds(byTool.result)).toEqual(withoutIds(byRest.result));
    expect(byTool.events).toEqual(byRest.events);

    const cleared = await eventsOf(() => run("set_reminder", userId, { id: second.id, remindAt: null }));
    expect((cleared.result as Task).remindAt).toBeNull();
    expect(cleared.events.length).toBeGreaterThan(0);
  });

  test("set_recurrence makes a task repeat (anchored by dueAt) and stops it with null, like PATCH", async () => {
    const change = { recurrence: "FREQ=WEEKLY;BYDAY=MO", dueAt: "2030-03-04T09:00:00Z" };
    const { byRest, byTool, userId, second } = await compare(
      { title: "Standup" },
      async (token, id) => (await h.call("PATCH", `/api/tasks/${id}`, { token, body: change })).body,
      (userId, id) => run("set_recurrence", userId, { id, ...change }),
    );
    expect((byTool.result as Task).recurrence).toBe(change.recurrence);
    expect(withoutIds(byTool.result)).toEqual(withoutIds(byRest.result));
    expect(byTool.events).toEqual(byRest.events);

    const stopped = (await run("set_recurrence", userId, { id: second.id, recurrence: null })) as Task;
    expect(stopped.recurrence).toBeNull();
    expect(stopped.dueAt).toBe(new Date(change.dueAt).toISOString());
  });

  test("set_recurrence on a task without a due date and no dueAt is refused as the REST route refuses it", async () => {
    const { token, userId } = await h.signup();
    const task = await h.createTask(token, { title: "No anchor" });
    const rest = await h.call("PATCH", `/api/tasks/${task.id}`, { token, body: { recurrence: "FREQ=DAILY" } });
    expect(rest.status).toBeGreaterThanOrEqual(400);
    const error = await run("set_recurrence", userId, { id: task.id, recurrence: "FREQ=DAILY" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(rest.status as AppError["status"]);
  });

  const invalidInputs: [ToolName, unknown][] = [
    ["add_task", {}],
    ["add_task", { title: 42 }],
    ["add_task", { title: "ok", colour: "red" }],
    ["add_task", { title: "ok", dueAt: "tomorrow" }],
    ["add_task", { title: "ok", priority: "urgent" }],
    ["add_task", "buy milk"],
    ["add_task", null],
    ["list_tasks", { limit: 0 }],
    ["list_tasks", { sort: "colour" }],
    ["list_tasks", { tag: "work" }],
    ["get_task", {}],
    ["update_task", { title: "no id" }],
    ["update_task", { id: "x", status: "completed" }],
    ["complete_task", { id: 7 }],
    ["reopen_task", []],
    ["delete_task", { id: "x", force: true }],
    ["set_reminder", { id: "x" }],
    ["set_reminder", { id: "x", remindAt: "soon" }],
    ["set_recurrence", { id: "x" }],
    ["set_recurrence", { id: "x", recurrence: "FREQ=DAILY", dueAt: "monday" }],
  ];

  test.each(invalidInputs)("%s with input %j is a 400 AppError and writes nothing", async (name, input) => {
    const { token, userId } = await h.signup();
    const task = await h.createTask(token, { title: "Untouched" });
    // "x" stands for a real task id, so only the other fault is left to refuse.
    const fixed = input && typeof input === "object" && "id" in input && input.id === "x" ? { ...input, id: task.id } : input;
    const before = await h.snapshot();
    const error = await run(name, userId, fixed).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    expect((error as AppError).code).toBe("invalid_request");
    expect(await h.snapshot()).toBe(before);
  });

  test("another user's task id is not found for every tool that takes an id, and changes nothing", async () => {
    const owner = await h.signup("owner");
    const stranger = await h.signup("stranger");
    const task = await h.createTask(owner.token, { title: "Private", dueAt: "2030-03-03T09:00:00Z" });
    const before = await h.snapshot();
    const attempts: [ToolName, object][] = [
      ["get_task", { id: task.id }],
      ["update_task", { id: task.id, title: "Hijacked" }],
      ["complete_task", { id: task.id }],
      ["reopen_task", { id: task.id }],
      ["delete_task", { id: task.id }],
      ["set_reminder", { id: task.id, remindAt: "2030-03-02T09:00:00Z" }],
      ["set_recurrence", { id: task.id, recurrence: "FREQ=DAILY" }],
    ];
    for (const [name, input] of attempts) {
      const error = await run(name, stranger.userId, input).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(404);
    }
    const page = (await run("list_tasks", stranger.userId, { status: "all" })) as { items: Task[] };
    expect(page.items).toEqual([]);
    expect(await h.snapshot()).toBe(before);
  });
});
