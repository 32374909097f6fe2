import { describe, expect, test } from "bun:test";
import { readHandshake } from "./handshake.ts";

const request = (query: string, protocol?: string) =>
  new Request(`http://localhost/ws${query}`, protocol === undefined ? {} : { headers: { "sec-websocket-protocol": protocol } });

describe("reading the handshake", () => {
  test("takes the token from the query", () => {
    expect(readHandshake(request("?token=abc.def.ghi&after=e1"))).toEqual({ ok: true, token: "abc.def.ghi", protocol: undefined, after: "e1" });
  });

  test("takes the token from the bearer subprotocol and answers with todo.v1", () => {
    expect(readHandshake(request("", "todo.v1, bearer.abc.def.ghi"))).toEqual({
      ok: true,
      token: "abc.def.ghi",
      protocol: "todo.v1",
      after: undefined,
    });
  });

  test("without a token the answer is 401", () => {
    expect(readHandshake(request(""))).toMatchObject({ ok: false, status: 401 });
    expect(readHandshake(request("?token=", "todo.v1"))).toMatchObject({ ok: false, status: 401 });
  });

  test("subprotocols without todo.v1 are refused, since the server could only echo the token", () => {
    expect(readHandshake(request("", "bearer.abc.def.ghi"))).toMatchObject({ ok: false, status: 400, code: "unsupported_subprotocol" });
  });

  test("an empty after means no replay", () => {
    expect(readHandshake(request("?token=t&after="))).toMatchObject({ ok: true, after: undefined });
  });
});
