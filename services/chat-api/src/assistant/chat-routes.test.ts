import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Task } from "@todo/common";
import { testDatabases } from "@todo/testkit/databases";
import { createHarness, type Harness } from "../tasks/api.fixture.ts";

/**
 * POST /api/chat and GET /api/conversations/:id through the real createApp
 * with the default (deterministic) agent, on PGlite and (with DATABASE_URL)
 * PostgreSQL. Tests keep apart by signing up their own users.
 */
interface ChatReply {
  conversationId: string;
  reply: string;
  actions: { tool: string; input: any; result: any }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe.each(testDatabases())("chat API on $name", ({ open }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(open);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  async function chat(token: string, body: Record<string, unknown>, on: Harness = h) {
    const reply = await on.call<ChatReply>("POST", "/api/chat", { token, body });
    if (reply.status !== 200) throw new Error(`chat failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }
  const tasksOf = async (token: string) => (await h.call<{ items: Task[] }>("GET", "/api/tasks?status=all", { token })).body.items;

  test("a message that adds a task creates it and answers with the action taken", async () => {
    const { token } = await h.signup("adder");
    const turn = await chat(token, { message: "add buy milk #home" });

    expect(turn.conversationId).toMatch(UUID);
    expect(turn.reply.length).toBeGreaterThan(0);
    expect(turn.actions).toHaveLength(1);
    expect(turn.actions[0]).toMatchObject({ tool: "add_task", result: { status: "pending", tags: ["home"] } });
    expect(turn.actions[0]!.result.title.toLowerCase()).toContain("buy milk");
    const tasks = await tasksOf(token);
    expect(tasks.map((task) => task.id)).toEqual([turn.actions[0]!.result.id]);
  });

  test("the next turn continues the conversation, and its history reads back in order", async () => {
    const { token } = await h.signup("talker");
    const first = await chat(token, { message: "add call the plumber" });
    const taskId = first.actions[0]!.result.id;
    const second = await chat(token, { message: "mark it done", conversationId: first.conversationId });

    expect(second.conversationId).toBe(first.conversationId);
    expect(second.actions).toEqual([expect.objectContaining({ tool: "complete_task", result: expect.objectContaining({ id: taskId, status: "completed" }) })]);

    const history = await h.call("GET", `/api/conversations/${first.conversationId}`, { token });
    expect(history.status).toBe(200);
    expect(history.body.id).toBe(first.conversationId);
    expect(history.body.messages.map((message: any) => [message.role, message.content])).toEqual([
      ["user", "add call the plumber"],
      ["assistant", first.reply],
      ["user", "mark it done"],
      ["assistant", second.reply],
    ]);
    expect(history.body.messages[1].actions).toEqual(first.actions);
    expect(history.body.messages[3].actions).toEqual(second.actions);
    expect(history.body.messages[0].actions).toBeUndefined();
  });

  test("another user's conversation answers 404 and its turn changes nothing", async () => {
    const owner = await h.signup("owner");
    const other = await h.signup("other");
    const turn = await chat(owner.token, { message: "add water the plants" });
    const before = await h.snapshot();

    expect((await h.call("GET", `/api/conversations/${turn.conversationId}`, { token: other.token })).status).toBe(404);
    const intruding = await h.call("POST", "/api/chat", { token: other.token, body: { message: "delete it", conversationId: turn.conversationId } });
    expect(intruding.status).toBe(404);
    expect(await h.snapshot()).toBe(before);
    expect((await h.call("GET", "/api/conversations/not-a-uuid", { token: owner.token })).status).toBe(404);
    expect((await h.call("POST", "/api/chat", { token: owner.token, body: { message: "hi", conversationId: "nope" } })).status).toBe(404);
  });

  test("an empty or huge message gets a helpful reply and changes nothing", async () => {
    const { token } = await h.signup("quiet");
    await h.createTask(token, { title: "existing task" });
    const before = await h.snapshot();

    for (const message of ["", "   ", `add ${"x".repeat(4001)}`]) {
      const turn = await chat(token, { message });
      expect(turn.reply.trim().length).toBeGreaterThan(0);
      expect(turn.actions).toEqual([]);
    }
    expect(await h.snapshot()).toBe(before);
  });

  test("a body without a string message is a 400, and no token is a 401", async () => {
    const { token } = await h.signup("sloppy");
    for (const body of [{}, { message: 42 }, { message: "hi", extra: true }]) {
      const reply = await h.call("POST", "/api/chat", { token, body });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe("invalid_request");
    }
    expect((await h.call("POST", "/api/chat", { body: { message: "hi" } })).status).toBe(401);
    expect((await h.call("GET", `/api/conversations/${crypto.randomUUID()}`)).status).toBe(401);
  });

  test("a second app instance on the same database continues the conversation (no replica state)", async () => {
    const second = await createHarness(async () => h.db);
    try {
      const { token } = await h.signup("roamer");
      const first = await chat(token, { message: "add renew passport" }, h);
      const taskId = first.actions[0]!.result.id;
      const next = await chat(token, { message: "mark it done", conversationId: first.conversationId }, second);
      expect(next.actions).toEqual([expect.objectContaining({ tool: "complete_task", result: expect.objectContaining({ id: taskId, status: "completed" }) })]);
    } finally {
      // Shares h's database: stop only its own background work.
      await second.background.stop();
    }
  });
});
