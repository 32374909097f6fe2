import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { createMemoryLogger, createTokenService, httpErrors, TaskCreateBody, type Task } from "@todo/common";
import { testDatabases } from "@todo/testkit/databases";
import { Elysia } from "elysia";
import { createHarness, JWT_SECRET, type Harness } from "../tasks/api.fixture.ts";
import { createWriteRateLimiter } from "../http/rate-limit.ts";
import { createTaskService } from "../tasks/task-service.ts";
import { createTaskTools } from "../tools/task-tools.ts";
import { mcpRoutes } from "./mcp-routes.ts";

/**
 * The MCP endpoint through the SDK's own client over real HTTP (Bun.serve on
 * port 0), on the harness database; task state is checked through REST.
 */
describe.each(testDatabases())("MCP server on $name", ({ open }) => {
  let h: Harness;
  let server: ReturnType<typeof Bun.serve>;
  let url: URL;
  const clients: Client[] = [];

  beforeAll(async () => {
    h = await createHarness(open);
    const logger = createMemoryLogger("mcp-test");
    const tasks = createTaskService({ db: h.db, outbox: { notify() {} }, now: h.clock.now, logger });
    const tokens = createTokenService(JWT_SECRET, { now: h.clock.now });
    const app = new Elysia().use(httpErrors(logger)).use(mcpRoutes({ tools: createTaskTools(tasks, createWriteRateLimiter({ perMinute: 1_000_000 })), tokens, logger }));
    server = Bun.serve({ port: 0, fetch: (request) => app.handle(request) });
    url = new URL(`http://localhost:${server.port}/mcp`);
  }, 60_000);
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  afterAll(async () => {
    await server?.stop(true);
    await h?.close();
  });

  async function connect(token: string): Promise<Client> {
    const client = new Client({ name: "mcp-test", version: "1.0.0" });
    clients.push(client);
    await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    return client;
  }
  const call = async (client: Client, name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  /** The JSON a successful call returned, read from its text content as a model would. */
  function dataOf<T = any>(result: CallToolResult): T {
    expect(result.isError).toBeFalsy();
    const first = result.content[0];
    if (first?.type !== "text") throw new Error("expected text content");
    const data = JSON.parse(first.text) as T;
    expect(result.structuredContent as unknown).toEqual(data);
    return data;
  }

  test("lists the nine task tools with the JSON Schemas of their TypeBox inputs", async () => {
    const { token } = await h.signup();
    const { tools } = await (await connect(token)).listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(
      ["add_task", "complete_task", "delete_task", "get_task", "list_tasks", "reopen_task", "set_recurrence", "set_reminder", "update_task"].sort(),
    );
    const addTask = tools.find((tool) => tool.name === "add_task");
    expect(addTask?.inputSchema).toEqual(JSON.parse(JSON.stringify(TaskCreateBody)));
    expect(addTask?.inputSchema.required).toEqual(["title"]);
    const update = tools.find((tool) => tool.name === "update_task");
    expect(update?.inputSchema.required).toEqual(["id"]);
    expect(Object.keys(update?.inputSchema.properties ?? {})).toContain("remindAt");
  });

  test("a NUL or another control character in a tool argument is refused naming it, and nothing is written", async () => {
    const { token } = await h.signup();
    const client = await connect(token);
    for (const args of [{ title: "milk\u0000" }, { title: "ok", tags: ["a\u202eb"] }]) {
      const result = await call(client, "add_task", args);
      expect(result.isError).toBe(true);
      const first = result.content[0];
      if (first?.type !== "text") throw new Error("expected text content");
      expect(JSON.parse(first.text).error.code).toBe("invalid_request");
      expect(first.text).toContain(args.tags ? "/tags/0" : "/title");
    }
    expect((await h.call("GET", "/api/tasks", { token })).body.items).toEqual([]);
  });

  test("every tool called through the MCP client acts on the caller's tasks", async () => {
    const { token } = await h.signup();
    const client = await connect(token);

    const added = dataOf<Task>(await call(client, "add_task", { title: "Buy milk", tags: ["home"], priority: "high" }));
    expect(added.title).toBe("Buy milk");
    expect((await h.call("GET", `/api/tasks/${added.id}`, { token })).body.title).toBe("Buy milk");

    const page = dataOf<{ items: Task[]; nextCursor: string | null }>(await call(client, "list_tasks", { tag: ["home"] }));
    expect(page.items.map((task) => task.id)).toEqual([added.id]);
    expect(dataOf<Task>(await call(client, "get_task", { id: added.id })).id).toBe(added.id);

    const renamed = dataOf<Task>(await call(client, "update_task", { id: added.id, title: "Buy oat milk", dueAt: "2030-03-03T09:00:00Z" }));
    expect(renamed.title).toBe("Buy oat milk");
    const reminded = dataOf<Task>(await call(client, "set_reminder", { id: added.id, remindAt: "2030-03-02T09:00:00Z" }));
    expect(reminded.remindAt).toBe("2030-03-02T09:00:00.000Z");
    const recurring = dataOf<Task>(await call(client, "set_recurrence", { id: added.id, recurrence: "FREQ=WEEKLY;BYDAY=MO" }));
    expect(recurring.recurrence).toBe("FREQ=WEEKLY;BYDAY=MO");
    const stopped = dataOf<Task>(await call(client, "set_recurrence", { id: added.id, recurrence: null }));
    expect(stopped.recurrence).toBeNull();

    expect(dataOf<Task>(await call(client, "complete_task", { id: added.id })).status).toBe("completed");
    expect(dataOf<Task>(await call(client, "reopen_task", { id: added.id })).status).toBe("pending");
    expect(dataOf(await call(client, "delete_task", { id: added.id }))).toEqual({ deleted: true, id: added.id });
    expect((await h.call("GET", `/api/tasks/${added.id}`, { token })).status).toBe(404);
  });

  test("another user's task id gives an error result that reveals nothing, and changes nothing", async () => {
    const owner = await h.signup("owner");
    const stranger = await h.signup("stranger");
    const task = await h.createTask(owner.token, { title: "Secret plans" });
    const client = await connect(stranger.token);
    const before = await h.snapshot();
    for (const [name, args] of [
      ["get_task", { id: task.id }],
      ["update_task", { id: task.id, title: "Mine now" }],
      ["complete_task", { id: task.id }],
      ["delete_task", { id: task.id }],
    ] as const) {
      const result = await call(client, name, args);
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toBeUndefined();
      const text = JSON.stringify(result.content);
      expect(text).toContain("not_found");
      expect(text).not.toContain("Secret plans");
    }
    expect(await h.snapshot()).toBe(before);
  });

  test("invalid arguments give an invalid_request error result and write nothing", async () => {
    const { token } = await h.signup();
    const client = await connect(token);
    const before = await h.snapshot();
    const result = await call(client, "add_task", { title: "ok", colour: "red" });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain("invalid_request");
    expect(await h.snapshot()).toBe(before);
  });

  test("a title with a right-to-left override or a control character is refused over MCP like over REST", async () => {
    const { token } = await h.signup();
    const client = await connect(token);
    const before = await h.snapshot();
    for (const title of ["invoice\u202Efdp.exe", "bell\u0007"]) {
      const result = await call(client, "add_task", { title });
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toContain("/title");
    }
    expect(await h.snapshot()).toBe(before);
  });

  test("an unknown tool is a protocol error", async () => {
    const { token } = await h.signup();
    const client = await connect(token);
    await expect(call(client, "drop_database", {})).rejects.toThrow(/unknown tool/);
  });

  test("without a valid bearer token the endpoint answers 401 and the client cannot connect", async () => {
    const initialize = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "anon", version: "1" } },
    };
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const anonymous = await fetch(url, { method: "POST", headers, body: JSON.stringify(initialize) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe("Bearer");
    const forged = await fetch(url, { method: "POST", headers: { ...headers, authorization: "Bearer not.a.token" }, body: JSON.stringify(initialize) });
    expect(forged.status).toBe(401);
    await expect(connect("not.a.token")).rejects.toThrow();
  });

  test("stateless: GET and DELETE answer 405, and a second client is served without any session", async () => {
    const { token } = await h.signup();
    const authorization = `Bearer ${token}`;
    const get = await fetch(url, { headers: { authorization, accept: "text/event-stream" } });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect((await fetch(url, { method: "DELETE", headers: { authorization } })).status).toBe(405);

    const [first, second] = [await connect(token), await connect(token)];
    const added = dataOf<Task>(await call(first, "add_task", { title: "Seen by both" }));
    expect(dataOf<Task>(await call(second, "get_task", { id: added.id })).title).toBe("Seen by both");
  });

  test("the real chat-api app serves /mcp behind the same bearer check", async () => {
    const body = { jsonrpc: "2.0", id: 1, method: "tools/list" };
    const headers = { accept: "application/json, text/event-stream" };
    expect((await h.call("POST", "/mcp", { body, headers })).status).toBe(401);
    const { token } = await h.signup();
    const reply = await h.call("POST", "/mcp", { body, headers, token });
    expect(reply.status).toBe(200);
    expect(reply.body.result.tools).toHaveLength(9);
  });
});

describe.each(testDatabases())("MCP writes share the REST write limit, on $name", ({ open }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(open, { writesPerMinute: 3 });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const headers = { accept: "application/json, text/event-stream" };
  const addTask = (id: number, title: string) => ({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "add_task", arguments: { title } },
  });
  const taskCount = async (userId: string) =>
    (await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM tasks WHERE user_id = $1", [userId]))[0]?.n;

  test("after REST answers 429, add_task over MCP is refused as rate_limited and creates nothing", async () => {
    const { token, userId } = await h.signup();
    for (let i = 0; i < 3; i++) await h.createTask(token, { title: `rest ${i}` });
    expect((await h.call("POST", "/api/tasks", { token, body: { title: "one too many" } })).status).toBe(429);
    const before = await h.snapshot();
    for (let i = 0; i < 5; i++) {
      const reply = await h.call("POST", "/mcp", { token, headers, body: addTask(i, `mcp ${i}`) });
      expect(reply.status).toBe(200);
      expect(reply.body.result.isError).toBe(true);
      expect(JSON.stringify(reply.body.result.content)).toContain("rate_limited");
    }
    expect(await h.snapshot()).toBe(before);
    expect(await taskCount(userId)).toBe(3);
  });

  test("one JSON-RPC batch of 99 add_task calls (the SDK takes at most 100 messages) creates only what the budget allows; reads still answer", async () => {
    const { token, userId } = await h.signup();
    const batch = [...Array.from({ length: 99 }, (_, i) => addTask(i, `batch ${i}`)), { jsonrpc: "2.0", id: 99, method: "tools/list" }];
    const reply = await h.call("POST", "/mcp", { token, headers, body: batch });
    expect(reply.status).toBe(200);
    const results = reply.body as { id: number; result: { isError?: boolean; content?: unknown; tools?: unknown[] } }[];
    const calls = results.filter((entry) => entry.id < 99);
    expect(calls.filter((entry) => !entry.result.isError)).toHaveLength(3);
    expect(calls.filter((entry) => JSON.stringify(entry.result.content).includes("rate_limited"))).toHaveLength(96);
    expect(results.find((entry) => entry.id === 99)?.result.tools).toHaveLength(9);
    expect(await taskCount(userId)).toBe(3);
    // REST sees the same spent budget.
    expect((await h.call("POST", "/api/tasks", { token, body: { title: "rest after the batch" } })).status).toBe(429);
  });

  test("reads over MCP are not limited", async () => {
    const { token } = await h.signup();
    for (let i = 0; i < 3; i++) await h.createTask(token, { title: `rest ${i}` });
    const list = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "list_tasks", arguments: {} } };
    const reply = await h.call("POST", "/mcp", { token, headers, body: list });
    expect(reply.body.result.isError).toBeFalsy();
    expect(reply.body.result.structuredContent.items).toHaveLength(3);
  });
});
