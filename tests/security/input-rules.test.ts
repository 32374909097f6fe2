import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import fc from "fast-check";
import { startTestHost, type TestHost } from "@todo/testkit/system";

/**
 * One rule for every input of the public API: a control character (NUL
 * first: PostgreSQL cannot store it and answered 500) anywhere in a JSON
 * body, a query string or a path is a 400 naming where it is, and a body
 * that is not declared as JSON is a 415. Nothing is written either way.
 */
setDefaultTimeout(120_000);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
let system: TestHost;
let token: string;

beforeAll(async () => {
  system = await startTestHost();
  token = (await system.signup("rules")).token;
});
afterAll(() => system?.stop());

const auth = () => ({ authorization: `Bearer ${token}` });
const json = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${system.url}${path}`, { method, headers: { "content-type": "application/json", ...auth(), ...headers }, body: JSON.stringify(body) });
const taskCount = async () => ((await (await fetch(`${system.url}/api/tasks?limit=100`, { headers: auth() })).json()) as { items: unknown[] }).items.length;

async function expectRefusedAt(response: Response, path: string) {
  const text = await response.text();
  expect(response.status, text).toBe(400);
  expect(text).toContain(path);
}

describe("control characters", () => {
  test("a NUL in a chat message, a task title, a tag or a query is a 400 naming it, not a 500", async () => {
    const before = await taskCount();
    await expectRefusedAt(await json("POST", "/api/chat", { message: "add milk\u0000" }), "/message");
    await expectRefusedAt(await json("POST", "/api/tasks", { title: "milk\u0000" }), "/title");
    await expectRefusedAt(await json("POST", "/api/tasks", { title: "milk", tags: ["ok", "b\u0000d"] }), "/tags/1");
    await expectRefusedAt(await json("POST", "/api/tasks/parse", { text: "milk\u0000 tomorrow" }), "/text");
    await expectRefusedAt(await fetch(`${system.url}/api/audit?after=%00`, { headers: auth() }), "after");
    await expectRefusedAt(await fetch(`${system.url}/api/tasks?q=a%00b`, { headers: auth() }), "q");
    await expectRefusedAt(await json("POST", "/api/auth/signup", { email: "nul\u0000@example.com", password: "a long enough passphrase" }), "/email");
    expect(await taskCount()).toBe(before);
  });

  test("a path with a NUL or another control character is a 400, not a 500", async () => {
    for (const path of ["/api/tasks/%00", "/api/tasks/a%01b", "/api/tasks/%7f/complete"]) {
      const response = await fetch(`${system.url}${path}`, { headers: auth() });
      expect(response.status, path).toBe(400);
    }
  });

  test("the right-to-left override and other controls in a title are refused; tabs and newlines in a description are kept", async () => {
    for (const title of ["invoice\u202Efdp.exe", "bell\u0007", "esc\u001b[31m", "del\u007f", "c1\u0085", "iso\u2066late"]) {
      await expectRefusedAt(await json("POST", "/api/tasks", { title }), "/title");
    }
    const ok = await json("POST", "/api/tasks", { title: "Shopping", description: "milk\n\teggs\r\n" });
    expect(ok.status).toBe(201);
  });

  test("random control characters anywhere in the JSON of every write route: 400 or a refusal, never a 5xx", async () => {
    const created = await (await json("POST", "/api/tasks", { title: "target" })).json() as { id: string };
    const routes: [string, string][] = [
      ["POST", "/api/tasks"],
      ["PATCH", `/api/tasks/${created.id}`],
      ["POST", "/api/chat"],
      ["POST", "/api/tasks/parse"],
      ["PATCH", "/api/me"],
      ["POST", "/api/auth/login"],
      ["POST", "/api/auth/signup"],
    ];
    const control = fc.integer({ min: 0, max: 0x9f }).filter((c) => c < 0x20 ? ![9, 10, 13].includes(c) : c >= 0x7f).map((c) => String.fromCharCode(c));
    const tainted = fc.tuple(fc.string({ maxLength: 8 }), control, fc.string({ maxLength: 8 })).map(([a, c, b]) => a + c + b);
    const field = fc.constantFrom("title", "description", "message", "text", "name", "timeZone", "email", "password", "tags", "q", "dueAt");
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), field, tainted, fc.boolean(), async ([method, path], name, value, asList) => {
        const response = await json(method, path, { [name]: asList ? ["fine", value] : value });
        const text = await response.text();
        if (response.status >= 500) throw new Error(`${method} ${path} {${name}: ${JSON.stringify(value)}} answered ${response.status}: ${text}`);
        expect(response.status, text).toBe(400);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("Content-Type", () => {
  test("a body that is not declared JSON is a 415 on every write route and writes nothing", async () => {
    const before = await taskCount();
    const body = JSON.stringify({ title: "sneaky" });
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "text/json"]) {
      for (const [method, path] of [["POST", "/api/tasks"], ["POST", "/api/chat"], ["POST", "/api/auth/login"], ["POST", "/mcp"]]) {
        const response = await fetch(`${system.url}${path}`, { method, headers: { ...auth(), "content-type": type }, body });
        expect({ type, path, status: response.status }).toEqual({ type, path, status: 415 });
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unsupported_media_type");
      }
    }
    // A body without any Content-Type (fetch would add text/plain, so the socket is written by hand).
    const url = new URL(system.url);
    const raw = await new Promise<string>((resolve) => {
      let out = "";
      void Bun.connect({
        hostname: url.hostname,
        port: Number(url.port),
        socket: {
          open(socket) {
            socket.write(`POST /api/tasks HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
          },
          data(_, chunk) {
            out += chunk.toString();
          },
          close() {
            resolve(out);
          },
        },
      });
    });
    expect(raw.split("\r\n")[0]).toContain("415");
    expect(await taskCount()).toBe(before);
  });

  test("application/json with a charset, and bodyless POSTs, still work", async () => {
    const created = await json("POST", "/api/tasks", { title: "typed" }, { "content-type": "application/json; charset=utf-8" });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const complete = await fetch(`${system.url}/api/tasks/${id}/complete`, { method: "POST", headers: auth() });
    expect(complete.status).toBe(200);
  });
});
