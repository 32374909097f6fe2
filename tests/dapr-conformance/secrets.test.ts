/**
 * Secrets API (dapr-http-contract.md §6). Status codes follow daprd's source:
 * an unknown store is 401, a missing secret in a file/kubernetes store is 500.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createConformanceRun, type SidecarUnderTest } from "./harness/conformance-run.ts";
import { jsonOf } from "./harness/dapr-api.ts";

// Sidecar start-up and broker round trips outlast bun's 5 s default.
setDefaultTimeout(30_000);

const run = createConformanceRun();
const { profile, names } = run;
const store = profile.components.secrets;
let under: SidecarUnderTest;

beforeAll(async () => {
  under = await run.startSidecar({ appId: names.name("conf-secrets") });
}, 30_000);

afterAll(() => run.cleanup(), 30_000);

describe("secrets", () => {
  test("the target's conformance secret is read as { name: value }", async () => {
    const response = await under.dapr.request("GET", `/v1.0/secrets/${store}/${profile.secret.name}`);
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toEqual({ [profile.secret.name]: profile.secret.value });
  });

  test("a secret that does not exist answers 500 ERR_SECRET_GET", async () => {
    const response = await under.dapr.request("GET", `/v1.0/secrets/${store}/${names.name("no-such-secret")}`);
    expect(response.status).toBe(500);
    expect((await jsonOf<{ errorCode?: string }>(response)).errorCode).toBe("ERR_SECRET_GET");
  });

  test("an unknown secret store answers 401 ERR_SECRET_STORE_NOT_FOUND", async () => {
    const response = await under.dapr.request("GET", `/v1.0/secrets/no-such-store/${profile.secret.name}`);
    expect(response.status).toBe(401);
    expect((await jsonOf<{ errorCode?: string }>(response)).errorCode).toBe("ERR_SECRET_STORE_NOT_FOUND");
  });
});
