import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testDatabases } from "@todo/testkit/databases";
import { createHarness, type Harness } from "../tasks/api.fixture.ts";

/**
 * POST /api/tasks/parse through the real createApp: the board's quick-add
 * preview. Clock: Friday 2030-03-01 09:00Z; the user lives in Asia/Karachi
 * (UTC+5), so "tomorrow 9am" is 2030-03-02T04:00Z.
 */
describe.each(testDatabases())("quick-add preview on $name", ({ open }) => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await createHarness(open);
    ({ token } = await h.signup("quick"));
    expect((await h.call("PATCH", "/api/me", { token, body: { timeZone: "Asia/Karachi" } })).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const parse = (body: unknown, auth: string | null = token) => h.call("POST", "/api/tasks/parse", { token: auth ?? undefined, body });

  test("reads title, due time in the user's zone, tag and priority, and writes nothing", async () => {
    const before = await h.snapshot();
    const reply = await parse({ text: "Pay rent tomorrow 9am #home !high" });

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      title: "Pay rent",
      dueAt: "2030-03-02T04:00:00.000Z",
      tags: ["home"],
      priority: "high",
      words: { title: "Pay rent", dueAt: "tomorrow 9am", tags: "#home", priority: "!high" },
    });
    expect(await h.snapshot()).toBe(before);
  });

  test("the previewed fields create exactly that task", async () => {
    const preview = await parse({ text: "water plants every Monday at 8am #garden !low" });
    expect(preview.body).toMatchObject({ title: "water plants", recurrence: "FREQ=WEEKLY;BYDAY=MO", tags: ["garden"], priority: "low" });

    const { words, ...fields } = preview.body;
    expect(words).toEqual({ title: "water plants", recurrence: "every Monday", dueAt: "at 8am", tags: "#garden", priority: "!low" });
    const created = await h.call("POST", "/api/tasks", { token, body: fields });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(fields);
  });

  test("!urgent means high priority; a plain line is just a title", async () => {
    expect((await parse({ text: "call the bank !urgent" })).body).toMatchObject({ title: "call the bank", priority: "high" });
    expect((await parse({ text: "  buy   milk " })).body).toEqual({ title: "buy milk", words: { title: "buy milk" } });
  });

  test("reads the line the way the chat does: any order, Roman Urdu, reminders", async () => {
    expect((await parse({ text: "kal shaam 5 baje doodh lena hai" })).body).toEqual({
      title: "doodh lena",
      dueAt: "2030-03-02T12:00:00.000Z",
      words: { title: "doodh lena", dueAt: "kal shaam 5 baje" },
    });
    expect((await parse({ text: "remind me tomorrow 9am to call the bank" })).body).toMatchObject({
      title: "call the bank",
      dueAt: "2030-03-02T04:00:00.000Z",
      remindAt: "2030-03-02T04:00:00.000Z",
    });
  });

  test("a line with nothing left for a title is a 422", async () => {
    const reply = await parse({ text: "tomorrow 9am #home !high" });
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toBe("no_title");
  });

  test("bad bodies are a 400 and no token is a 401", async () => {
    expect((await parse({ text: "" })).status).toBe(400);
    expect((await parse({ text: "x".repeat(501) })).status).toBe(400);
    expect((await parse({ text: "buy milk", extra: 1 })).status).toBe(400);
    expect((await parse({ text: 42 })).status).toBe(400);
    expect((await parse({ text: "buy milk" }, null)).status).toBe(401);
  });

  test("is documented in the OpenAPI document", async () => {
    const docs = await h.call("GET", "/api/docs/json");
    const operation = docs.body.paths["/api/tasks/parse"]?.post;
    expect(operation?.tags).toEqual(["tasks"]);
    expect(operation?.requestBody).toBeDefined();
  });
});
