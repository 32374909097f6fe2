import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { createBackground, createMemoryLogger, createTokenService, type Task } from "@todo/common";
import type { Database } from "@todo/common/db";
import { testDatabases } from "@todo/testkit/databases";
import { createApp } from "../app.ts";
import { insertUser } from "../auth/user-store.ts";
import { JWT_SECRET, manualClock, recordingDapr } from "../tasks/api.fixture.ts";
import { serviceDeps } from "@todo/testkit";
import { deterministicAgent } from "./agent.ts";
import { chooseAgent } from "./llm-agent.ts";

/**
 * The hosted-model path against a local OpenAI-compatible server that plays a
 * script of chat-completions answers (the only fake: no hosted model is
 * reachable from tests). Everything else is the real createApp.
 */
type Scripted = { status?: number; body?: unknown; hang?: boolean };

interface ScriptedModel {
  url: string;
  requests: any[];
  authorizations: (string | null)[];
  play(...answers: Scripted[]): void;
  stop(): Promise<void>;
}

function scriptedModel(): ScriptedModel {
  const requests: any[] = [];
  const authorizations: (string | null)[] = [];
  let script: Scripted[] = [];
  const hanging: (() => void)[] = [];
  const server = Bun.serve({
    port: 0,
    async fetch(request) {
      if (new URL(request.url).pathname !== "/v1/chat/completions") return new Response("not found", { status: 404 });
      requests.push(await request.json());
      authorizations.push(request.headers.get("authorization"));
      const answer = script.shift() ?? { status: 500, body: { error: { message: "script exhausted" } } };
      if (answer.hang) {
        // Answers only when the test ends: the agent must give up on its own deadline.
        await new Promise<void>((resolve) => hanging.push(resolve));
        return new Response("too late", { status: 503 });
      }
      return Response.json(answer.body, { status: answer.status ?? 200 });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}/v1`,
    requests,
    authorizations,
    play: (...answers) => void (script = answers),
    async stop() {
      for (const release of hanging.splice(0)) release();
      await server.stop(true);
    },
  };
}

const completion = (message: Record<string, unknown>) => ({
  id: "chatcmpl-test",
  object: "chat.completion",
  created: 0,
  model: "test-model",
  choices: [{ index: 0, finish_reason: message.tool_calls ? "tool_calls" : "stop", message: { role: "assistant", content: null, ...message } }],
});
const toolCall = (id: string, name: string, args: unknown) => ({ id, type: "function", function: { name, arguments: JSON.stringify(args) } });

describe.each(testDatabases())("chat with a hosted model on $name", ({ open }) => {
  let db: Database;
  let model: ScriptedModel;
  let app: Awaited<ReturnType<typeof createApp>>;
  const clock = manualClock();
  const logger = createMemoryLogger("chat-api");
  const background = createBackground(logger);
  const tokens = createTokenService(JWT_SECRET, { now: clock.now });

  beforeAll(async () => {
    db = await open();
    model = scriptedModel();
    app = await createApp({
      ...serviceDeps("chat-api", recordingDapr(), { logger, now: clock.now, background }),
      db,
      jwtSecret: JWT_SECRET,
      writesPerMinute: 1_000_000,
      outbox: { pollIntervalMs: 20, initialBackoffMs: 5, maxBackoffMs: 20 },
      assistant: { llm: { baseUrl: model.url, model: "test-model", apiKey: "test-key", timeoutMs: 300 } },
    });
  }, 60_000);
  afterEach(() => {
    model.requests.length = 0;
    model.authorizations.length = 0;
  });
  afterAll(async () => {
    await model?.stop();
    await background.stop();
    await db?.close();
  });

  async function signup(name: string) {
    const email = `${name}-${crypto.randomUUID()}@example.com`;
    const user = await insertUser(db, { id: Bun.randomUUIDv7(), email, emailKey: email, name, passwordHash: "x", now: clock.now() });
    return { token: await tokens.issue(user!), userId: user!.id };
  }
  async function call(method: string, path: string, token: string, body?: unknown) {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await app.handle(new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
    return { status: response.status, body: (await response.json()) as any };
  }
  const tasksOf = async (token: string) => (await call("GET", "/api/tasks?status=all", token)).body.items as Task[];

  test("a tool call of the model runs through the tools for the caller, and the model's text is the reply", async () => {
    const { token, userId } = await signup("modelled");
    model.play(
      { body: completion({ tool_calls: [toolCall("call_1", "add_task", { title: "Pay rent", priority: "high" })] }) },
      { body: completion({ content: "Added “Pay rent” with high priority." }) },
    );

    const turn = await call("POST", "/api/chat", token, { message: "please remember to pay rent, it's important" });

    expect(turn.status).toBe(200);
    expect(turn.body.reply).toBe("Added “Pay rent” with high priority.");
    expect(turn.body.actions).toEqual([
      { tool: "add_task", input: { title: "Pay rent", priority: "high" }, result: expect.objectContaining({ title: "Pay rent", priority: "high", userId }) },
    ]);
    expect((await tasksOf(token)).map((task) => task.title)).toEqual(["Pay rent"]);

    expect(model.authorizations).toEqual(["Bearer test-key", "Bearer test-key"]);
    const [first, second] = model.requests;
    expect(first.model).toBe("test-model");
    expect(first.messages.at(-1)).toEqual({ role: "user", content: "please remember to pay rent, it's important" });
    const addTask = first.tools.find((tool: any) => tool.function.name === "add_task");
    expect(addTask.function.parameters).toMatchObject({ type: "object", properties: { title: expect.any(Object) } });
    // The model reads back what the tool returned, under the id of its call.
    const toolMessage = second.messages.find((message: any) => message.role === "tool");
    expect(toolMessage.tool_call_id).toBe("call_1");
    expect(JSON.parse(toolMessage.content)).toMatchObject({ title: "Pay rent", id: turn.body.actions[0].result.id });
  });

  test("on the next turn the model sees the conversation so far", async () => {
    const { token } = await signup("continuing");
    model.play({ body: completion({ content: "Hello! What shall I add?" }) }, { body: completion({ content: "Noted." }) });
    const first = await call("POST", "/api/chat", token, { message: "hi there" });
    await call("POST", "/api/chat", token, { message: "never mind", conversationId: first.body.conversationId });

    const conversation = model.requests[1].messages.filter((message: any) => message.role !== "system");
    expect(conversation).toEqual([
      { role: "user", content: "hi there" },
      { role: "assistant", content: "Hello! What shall I add?" },
      { role: "user", content: "never mind" },
    ]);
  });

  test("a tool the service refuses goes back to the model, and another user's task stays out of reach", async () => {
    const owner = await signup("owner");
    const other = await signup("other");
    const created = await call("POST", "/api/tasks", owner.token, { title: "owner's secret" });
    model.play(
      { body: completion({ tool_calls: [toolCall("call_1", "delete_task", { id: created.body.id })] }) },
      { body: completion({ content: "I could not find that task." }) },
    );

    const turn = await call("POST", "/api/chat", other.token, { message: "delete the owner's secret" });

    expect(turn.status).toBe(200);
    expect(turn.body).toMatchObject({ reply: "I could not find that task.", actions: [] });
    const toolMessage = model.requests[1].messages.find((message: any) => message.role === "tool");
    expect(JSON.parse(toolMessage.content)).toMatchObject({ error: { status: 404 } });
    expect((await tasksOf(owner.token)).map((task) => task.title)).toEqual(["owner's secret"]);
  });

  test("a server error of the model falls back to the deterministic engine", async () => {
    const { token } = await signup("fallback");
    model.play({ status: 500, body: { error: { message: "upstream exploded", type: "server_error" } } });

    const turn = await call("POST", "/api/chat", token, { message: "add buy milk" });

    expect(turn.status).toBe(200);
    expect(model.requests).toHaveLength(1);
    expect(turn.body.actions).toEqual([expect.objectContaining({ tool: "add_task" })]);
    expect((await tasksOf(token)).map((task) => task.title.toLowerCase())).toEqual([expect.stringContaining("buy milk")]);
    expect(logger.records).toContainEqual(expect.objectContaining({ msg: "hosted model failed; answering without it" }));
  });

  test("a model that does not answer in time falls back to the deterministic engine", async () => {
    const { token } = await signup("patient");
    model.play({ hang: true });

    const started = performance.now();
    const turn = await call("POST", "/api/chat", token, { message: "add walk the dog" });

    expect(turn.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(turn.body.actions).toEqual([expect.objectContaining({ tool: "add_task" })]);
    expect((await tasksOf(token)).map((task) => task.title.toLowerCase())).toEqual([expect.stringContaining("walk the dog")]);
  });

  test("an empty message never reaches the model", async () => {
    const { token } = await signup("silent");
    const turn = await call("POST", "/api/chat", token, { message: "  " });
    expect(turn.status).toBe(200);
    expect(turn.body.actions).toEqual([]);
    expect(model.requests).toHaveLength(0);
  });
});

describe("choosing the agent", () => {
  const config = { baseUrl: "http://127.0.0.1:9/v1", model: "m" };

  test("without a hosted model configured the deterministic engine answers, and no secret is read", async () => {
    const read: string[] = [];
    const agent = await chooseAgent(undefined, async (name) => {
      read.push(name);
      return undefined;
    }, createMemoryLogger());
    expect(agent).toBe(deterministicAgent);
    expect(read).toEqual([]);
  });

  test("the key is read from the secret store (llm-api-key); an unreadable key keeps the deterministic engine and warns", async () => {
    const read: string[] = [];
    const withKey = await chooseAgent(config, async (name) => (read.push(name), "k"), createMemoryLogger());
    expect(withKey).not.toBe(deterministicAgent);
    expect(read).toEqual(["llm-api-key"]);

    const logger = createMemoryLogger();
    const without = await chooseAgent(config, () => Promise.reject(new Error("no such secret")), logger);
    expect(without).toBe(deterministicAgent);
    expect(logger.records).toContainEqual(expect.objectContaining({ level: "warn", msg: "could not read the hosted model's API key" }));
  });
});
