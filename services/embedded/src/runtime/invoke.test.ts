import { afterEach, describe, expect, test } from "bun:test";
import { inProcessChannel } from "./app-channel.ts";
import { runtimeFixture, type RuntimeFixture } from "@todo/testkit";

/** Service invocation through the sidecar, as daprd forwards it. */
let fixture: RuntimeFixture;
afterEach(async () => {
  await fixture.cleanup();
});

interface Seen {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

async function withCallee(reply: (request: Request) => Response | Promise<Response> = () => new Response("ok")) {
  fixture = runtimeFixture();
  const runtime = fixture.runtime();
  const seen: Seen[] = [];
  runtime.registerApp(
    inProcessChannel(
      "chat-api",
      async (request) => {
        seen.push({ method: request.method, url: new URL(request.url), headers: request.headers, body: await request.clone().text() });
        if (new URL(request.url).pathname === "/dapr/subscribe") return new Response(null, { status: 404 });
        return reply(request);
      },
      "app-token",
    ),
  );
  await runtime.start();
  return { sidecar: runtime.sidecar("recurring-task"), seen: () => seen.filter((s) => s.url.pathname !== "/dapr/subscribe") };
}

describe("invocation", () => {
  test("method, path, query, body and headers reach the callee; the caller's token is replaced by the app token", async () => {
    const { sidecar, seen } = await withCallee();
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    await sidecar(
      new Request("http://localhost/v1.0/invoke/chat-api/method/internal/tasks/t%201?expand=true", {
        method: "PATCH",
        headers: { "content-type": "application/json", "x-user": "u1", traceparent, "dapr-api-token": "caller-token" },
        body: '{"title":"x"}',
      }),
    );
    const [call] = seen();
    expect(call?.method).toBe("PATCH");
    expect(call?.url.pathname).toBe("/internal/tasks/t%201");
    expect(call?.url.search).toBe("?expand=true");
    expect(call?.body).toBe('{"title":"x"}');
    expect(call?.headers.get("content-type")).toBe("application/json");
    expect(call?.headers.get("x-user")).toBe("u1");
    expect(call?.headers.get("traceparent")).toBe(traceparent);
    expect(call?.headers.get("dapr-caller-app-id")).toBe("recurring-task");
    expect(call?.headers.get("dapr-callee-app-id")).toBe("chat-api");
    expect(call?.headers.get("dapr-api-token")).toBe("app-token");
  });

  test("the callee's status, headers and body come back unchanged", async () => {
    const { sidecar } = await withCallee(() => new Response('{"error":"nope"}', { status: 409, headers: { "x-reason": "dup" } }));
    const response = await sidecar(new Request("http://localhost/v1.0/invoke/chat-api/method/x", { method: "POST" }));
    expect(response.status).toBe(409);
    expect(response.headers.get("x-reason")).toBe("dup");
    expect(await response.text()).toBe('{"error":"nope"}');
  });

  test("the dapr-app-id header invokes with the request path as the method", async () => {
    const { sidecar, seen } = await withCallee();
    const response = await sidecar(new Request("http://localhost/internal/ping?x=1", { headers: { "dapr-app-id": "chat-api" } }));
    expect(await response.text()).toBe("ok");
    expect(seen()[0]?.url.pathname + (seen()[0]?.url.search ?? "")).toBe("/internal/ping?x=1");
  });

  test("an unknown app or a failing call answers 500 ERR_DIRECT_INVOKE", async () => {
    const { sidecar } = await withCallee(() => {
      throw new Error("connection refused");
    });
    for (const path of ["/v1.0/invoke/nobody/method/x", "/v1.0/invoke/chat-api/method/x"]) {
      const response = await sidecar(new Request(`http://localhost${path}`));
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ errorCode: "ERR_DIRECT_INVOKE" });
    }
  });
});
