import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createMemoryLogger, httpErrors } from "@todo/common";
import { Elysia, t } from "elysia";
import { bodyLimit } from "./body-limit.ts";

const LIMIT = 64 * 1024;

function buildApp() {
  let handled = 0;
  const routes = new Elysia()
    .post("/echo", ({ body }) => {
      handled++;
      return { bytes: body.text.length + 11 };
    }, { body: t.Object({ text: t.String() }) })
    .get("/ping", () => "pong");
  const app = new Elysia().use(httpErrors(createMemoryLogger())).use(bodyLimit(LIMIT)).use(routes);
  return { app, handled: () => handled };
}

/** A JSON body of exactly `bytes` bytes: {"text":"xxx…"} (11 bytes of syntax). */
const jsonOfSize = (bytes: number) => JSON.stringify({ text: "x".repeat(bytes - 11) });

function streamOf(text: string, chunkSize = 8 * 1024): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

const post = (app: Elysia<any, any, any, any, any, any, any>, body: BodyInit, headers: Record<string, string> = {}) =>
  app.handle(
    new Request("http://localhost/echo", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
      duplex: "half",
    } as RequestInit),
  );

describe("body limit", () => {
  test("a body of exactly 64 KiB reaches the route", async () => {
    const { app } = buildApp();
    const response = await post(app, jsonOfSize(LIMIT));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ bytes: LIMIT });
  });

  test("64 KiB + 1 with Content-Length answers 413 before the route runs", async () => {
    const { app, handled } = buildApp();
    const body = jsonOfSize(LIMIT + 1);
    const response = await post(app, body, { "content-length": String(body.length) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: { code: "payload_too_large", message: `request body exceeds ${LIMIT} bytes`, details: { maxBytes: LIMIT } },
    });
    expect(handled()).toBe(0);
  });

  test("a streamed body without Content-Length is measured: 64 KiB passes, 64 KiB + 1 answers 413", async () => {
    const { app, handled } = buildApp();
    const ok = await post(app, streamOf(jsonOfSize(LIMIT)));
    expect(ok.status).toBe(200);
    const tooBig = await post(app, streamOf(jsonOfSize(LIMIT + 1)));
    expect(tooBig.status).toBe(413);
    expect(handled()).toBe(1);
  });

  test("a Content-Length that understates the body does not sneak it past", async () => {
    const { app, handled } = buildApp();
    const response = await post(app, jsonOfSize(LIMIT + 1), { "content-length": "10" });
    expect(response.status).toBe(413);
    expect(handled()).toBe(0);
  });

  test("a garbage Content-Length is treated as too large rather than ignored", async () => {
    const { app } = buildApp();
    expect((await post(app, jsonOfSize(100), { "content-length": "lots" })).status).toBe(413);
  });

  test("requests without a body are untouched", async () => {
    const { app } = buildApp();
    const response = await app.handle(new Request("http://localhost/ping"));
    expect(await response.text()).toBe("pong");
  });

  describe("through a real server", () => {
    let server: ReturnType<typeof Bun.serve>;
    beforeAll(() => {
      const { app } = buildApp();
      server = Bun.serve({ port: 0, fetch: (request) => app.handle(request) });
    });
    afterAll(async () => {
      await server.stop(true);
    });

    test("a huge chunked upload is refused without reading it all", async () => {
      // 16 MiB offered in chunks: the 413 arrives without waiting for (or buffering) the rest.
      let sent = 0;
      const total = 16 * 1024 * 1024;
      const chunk = new Uint8Array(64 * 1024).fill(120);
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= total) return controller.close();
          controller.enqueue(chunk);
          sent += chunk.length;
        },
      });
      const response = await fetch(server.url.href + "echo", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        duplex: "half",
      } as RequestInit);
      expect(response.status).toBe(413);
      expect(sent).toBeLessThan(total);
    });

    test("a normal request still works", async () => {
      const response = await fetch(server.url.href + "echo", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: jsonOfSize(100),
      });
      expect(await response.json()).toEqual({ bytes: 100 });
    });
  });
});
