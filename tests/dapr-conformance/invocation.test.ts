/**
 * Service invocation: the request reaches the app as sent and the app's reply
 * comes back unchanged (dapr-http-contract.md §5).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createConformanceRun, type SidecarUnderTest } from "./harness/conformance-run.ts";
import { jsonOf } from "./harness/dapr-api.ts";

// Sidecar start-up and broker round trips outlast bun's 5 s default.
setDefaultTimeout(30_000);

const run = createConformanceRun();
const { names } = run;
let callee: SidecarUnderTest;
let caller: SidecarUnderTest;

beforeAll(async () => {
  callee = await run.startSidecar({ appId: names.name("conf-callee") });
  caller = await run.startSidecar({ appId: names.name("conf-caller") });
}, 30_000);

afterAll(() => run.cleanup(), 30_000);

interface Echo {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

describe("service invocation", () => {
  test("method, path, query, headers and body reach the app; its status, headers and body come back", async () => {
    const payload = `payload ${crypto.randomUUID()}`;
    const response = await callee.dapr.request(
      "PUT",
      `/v1.0/invoke/${callee.appId}/method/echo/nested/part?x=1&y=two`,
      {
        body: payload,
        contentType: "text/plain",
        headers: { "x-conformance": "abc", "x-echo-status": "201" },
      },
    );

    expect(response.status).toBe(201);
    expect(response.headers.get("x-echo-reply")).toBe("yes");
    const echo = await jsonOf<Echo>(response);
    expect(echo.method).toBe("PUT");
    expect(echo.path).toBe("/echo/nested/part");
    expect(echo.query).toEqual({ x: "1", y: "two" });
    expect(echo.body).toBe(payload);
    expect(echo.headers["x-conformance"]).toBe("abc");
    expect(echo.headers["content-type"]).toStartWith("text/plain");
  });

  test("an error status and body from the app are passed through unchanged", async () => {
    const response = await callee.dapr.request("GET", `/v1.0/invoke/${callee.appId}/method/echo`, {
      headers: { "x-echo-status": "409" },
    });
    expect(response.status).toBe(409);
    const echo = await jsonOf<Echo>(response);
    expect(echo.method).toBe("GET");
    expect(echo.body).toBe("");
  });

  test("another app invoked through the caller's sidecar sees dapr-caller-app-id", async () => {
    const response = await caller.dapr.request("POST", `/v1.0/invoke/${callee.appId}/method/echo?from=caller`, {
      json: { hello: "callee" },
    });
    expect(response.status).toBe(200);
    const echo = await jsonOf<Echo>(response);
    expect(echo.method).toBe("POST");
    expect(echo.query).toEqual({ from: "caller" });
    expect(JSON.parse(echo.body)).toEqual({ hello: "callee" });
    expect(echo.headers["dapr-caller-app-id"]).toBe(caller.appId);
    expect(echo.headers["dapr-callee-app-id"]).toBe(callee.appId);
  });
});
