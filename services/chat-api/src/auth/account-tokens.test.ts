import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTokenService } from "@todo/common";
import { testDatabases } from "@todo/testkit/databases";
import { createHarness, JWT_SECRET, type Harness } from "../tasks/api.fixture.ts";

/**
 * A token signed with the real key but naming an account that does not
 * exist (never created, or deleted since) gets in nowhere: every route that
 * takes a token answers 401, and nothing is written.
 */
describe.each(testDatabases())("tokens of accounts that do not exist, on $name", ({ open }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(open);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const mcpHeaders = { accept: "application/json, text/event-stream" };
  const attempts = (taskId: string) =>
    [
      ["GET", "/api/tasks", undefined, {}],
      ["POST", "/api/tasks", { title: "Buy milk" }, {}],
      ["GET", `/api/tasks/${taskId}`, undefined, {}],
      ["PATCH", `/api/tasks/${taskId}`, { title: "x" }, {}],
      ["POST", `/api/tasks/${taskId}/complete`, undefined, {}],
      ["DELETE", `/api/tasks/${taskId}`, undefined, {}],
      ["POST", "/api/tasks/parse", { text: "milk tomorrow" }, {}],
      ["GET", "/api/me", undefined, {}],
      ["PATCH", "/api/me", { name: "Ghost" }, {}],
      ["POST", "/api/chat", { message: "add milk" }, {}],
      ["POST", "/mcp", { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "add_task", arguments: { title: "milk" } } }, mcpHeaders],
      ["POST", "/mcp", { jsonrpc: "2.0", id: 1, method: "tools/list" }, mcpHeaders],
    ] as const;

  async function expectLockedOut(token: string, taskId: string) {
    const before = await h.snapshot();
    for (const [method, path, body, headers] of attempts(taskId)) {
      const reply = await h.call(method, path, { token, body, headers });
      expect([method, path, reply.status, reply.body?.error?.code]).toEqual([method, path, 401, "unauthorized"]);
    }
    expect(await h.snapshot()).toBe(before);
  }

  test("a user id that was never signed up", async () => {
    const forged = await createTokenService(JWT_SECRET, { now: h.clock.now }).issue({ id: Bun.randomUUIDv7(), email: "ghost@example.com" });
    await expectLockedOut(forged, crypto.randomUUID());
  });

  test("an account deleted after its token was issued", async () => {
    const { token, userId } = await h.signup("leaving");
    expect((await h.call("GET", "/api/tasks", { token })).status).toBe(200);
    await h.db.query("DELETE FROM users WHERE id = $1", [userId]);
    await expectLockedOut(token, crypto.randomUUID());
  });

  test("the same routes still answer the owner of an existing account", async () => {
    const { token } = await h.signup("staying");
    const task = await h.createTask(token, { title: "mine" });
    for (const [method, path, body, headers] of attempts(task.id)) {
      const reply = await h.call(method, path, { token, body, headers });
      expect([method, path, reply.status < 300]).toEqual([method, path, true]);
    }
  });
});
