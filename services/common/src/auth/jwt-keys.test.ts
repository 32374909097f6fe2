import { describe, expect, test } from "bun:test";
import { DaprError, DaprUnavailableError } from "../dapr/errors.ts";
import type { DaprClient } from "../dapr/types.ts";
import { readJwtKeys } from "./jwt-keys.ts";
import { createTokenService } from "./tokens.ts";

const current = "the-current-secret-that-is-long-enough-for-hs256";
const previous = "the-previous-secret-that-is-long-enough-for-hs256";

/** A secret store holding `secrets`; a name it lacks fails as `missing` says (daprd's answers differ by store). */
function store(secrets: Record<string, string>, missing: () => Error): DaprClient {
  return {
    getSecret: async (_store: string, name: string) => {
      if (name in secrets) return { [name]: secrets[name]! };
      throw missing();
    },
  } as unknown as DaprClient;
}
const notFound = () => new DaprError({ operation: "getSecret", status: 500, errorCode: "ERR_SECRET_GET", message: 'secrets "jwt-secret-previous" not found' });
const forbidden = () => new DaprError({ operation: "getSecret", status: 403, errorCode: "ERR_PERMISSION_DENIED", message: "access denied" });

describe("readJwtKeys", () => {
  test("outside a rollover there is one key, whether the store says not found or not allowed", async () => {
    expect(await readJwtKeys(store({ "jwt-secret": current }, notFound), "secretstore")).toEqual({ current });
    expect(await readJwtKeys(store({ "jwt-secret": current }, forbidden), "secretstore")).toEqual({ current });
  });

  test("during a rollover both keys are read, and a token of the old key still verifies", async () => {
    const keys = await readJwtKeys(store({ "jwt-secret": current, "jwt-secret-previous": previous }, notFound), "secretstore");
    expect(keys).toEqual({ current, previous });
    const oldToken = await createTokenService(previous).issue({ id: "0190f6a4-7c1e-7a2b-8c3d-4e5f60718293", email: "ada@example.com" });
    expect(await createTokenService(keys).verify(oldToken)).toEqual({ userId: "0190f6a4-7c1e-7a2b-8c3d-4e5f60718293" });
  });

  test("a sidecar that cannot answer stops the start-up instead of silently dropping the previous key", async () => {
    const flaky = store({ "jwt-secret": current }, () => new DaprUnavailableError("getSecret", new Error("connection refused")));
    await expect(readJwtKeys(flaky, "secretstore")).rejects.toThrow(/unavailable/);
  });

  test("a missing or short current key is refused", async () => {
    await expect(readJwtKeys(store({}, notFound), "secretstore")).rejects.toThrow();
    await expect(readJwtKeys(store({ "jwt-secret": "short" }, notFound), "secretstore")).rejects.toThrow(/32 characters/);
  });
});
