import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { handleSecretsApi } from "./http.ts";
import { createSecretStore, envVarName, type SecretStore } from "./secret-store.ts";
import { secretsFilePath } from "./secrets-file.ts";

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "secrets-api-"));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(secrets: SecretStore, pathAndQuery: string, options: { method?: string; stores?: string[] } = {}) {
  const url = new URL(`http://localhost/v1.0/secrets/${pathAndQuery}`);
  const path = url.pathname.slice("/v1.0/secrets/".length).split("/").map(decodeURIComponent);
  const request = new Request(url, { method: options.method ?? "GET" });
  const response = await handleSecretsApi(secrets, { stores: options.stores ?? ["secretstore"] }, request, path);
  const text = await response.text();
  const isJson = response.headers.get("content-type")?.includes("json") ?? false;
  return { status: response.status, json: isJson ? JSON.parse(text) : undefined };
}

describe("lookup order", () => {
  test("an env var SECRET_<NAME> answers first: jwt-secret reads SECRET_JWT_SECRET", async () => {
    const secrets = createSecretStore({ dataDir, env: { SECRET_JWT_SECRET: "from-env" }, generate: ["jwt-secret"] });
    const response = await call(secrets, "secretstore/jwt-secret");
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ "jwt-secret": "from-env" });
    expect(envVarName("db.url/main-1")).toBe("SECRET_DB_URL_MAIN_1");
  });

  test("the rest of the process environment is not readable as a secret", async () => {
    const env = { DATABASE_URL: "postgres://u:p@h/db", "jwt-secret": "exact", JWT_SECRET: "plain", DAPR_API_TOKEN: "t" };
    const secrets = createSecretStore({ dataDir, env });
    for (const name of ["DATABASE_URL", "database-url", "jwt-secret", "DAPR_API_TOKEN", "dapr-api-token"]) {
      expect((await call(secrets, `secretstore/${name}`)).status).toBe(500);
    }
  });

  test("then the generated file: a random 32-byte base64url value", async () => {
    const secrets = createSecretStore({ dataDir, env: {}, generate: ["jwt-secret", "app-api-token"] });
    const jwt = (await call(secrets, "secretstore/jwt-secret")).json["jwt-secret"];
    const token = (await call(secrets, "secretstore/app-api-token")).json["app-api-token"];
    expect(jwt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(jwt, "base64url")).toHaveLength(32);
    expect(token).not.toBe(jwt);
  });

  test("an empty env var counts as unset", async () => {
    const secrets = createSecretStore({ dataDir, env: { SECRET_JWT_SECRET: "" }, generate: ["jwt-secret"] });
    expect((await call(secrets, "secretstore/jwt-secret")).json["jwt-secret"]).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test("an env-only secret needs no file entry", async () => {
    const secrets = createSecretStore({ dataDir, env: { SECRET_OPENAI_API_KEY: "sk-test" } });
    expect((await call(secrets, "secretstore/openai-api-key")).json).toEqual({ "openai-api-key": "sk-test" });
  });
});

describe("errors", () => {
  test("a missing secret is 500 ERR_SECRET_GET, like daprd's local.file store", async () => {
    const secrets = createSecretStore({ dataDir, env: {} });
    const response = await call(secrets, "secretstore/nope");
    expect(response.status).toBe(500);
    expect(response.json.errorCode).toBe("ERR_SECRET_GET");
  });

  test("an unknown store is 401 ERR_SECRET_STORE_NOT_FOUND", async () => {
    const secrets = createSecretStore({ dataDir, env: { X: "1" } });
    for (const path of ["other/x", "other/bulk"]) {
      const response = await call(secrets, path);
      expect(response.status).toBe(401);
      expect(response.json.errorCode).toBe("ERR_SECRET_STORE_NOT_FOUND");
    }
  });

  test("no configured secret store is 500 ERR_SECRET_STORES_NOT_CONFIGURED", async () => {
    const secrets = createSecretStore({ dataDir, env: { X: "1" } });
    const response = await call(secrets, "secretstore/x", { stores: [] });
    expect(response.status).toBe(500);
    expect(response.json.errorCode).toBe("ERR_SECRET_STORES_NOT_CONFIGURED");
  });

  test("only GET is served; other paths are 404", async () => {
    const secrets = createSecretStore({ dataDir, env: { X: "1" } });
    expect((await call(secrets, "secretstore/x", { method: "POST" })).status).toBe(405);
    expect((await call(secrets, "secretstore")).status).toBe(404);
    expect((await call(secrets, "secretstore/a/b")).status).toBe(404);
  });

  test("a corrupt secrets file fails loudly without echoing its content, and is left as it was", () => {
    writeFileSync(secretsFilePath(dataDir), '{"jwt-secret": "s3cr3t-value"');
    let message = "";
    try {
      createSecretStore({ dataDir, env: {}, generate: ["jwt-secret"] });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/not valid JSON/);
    expect(message).not.toContain("s3cr3t-value");
    expect(readFileSync(secretsFilePath(dataDir), "utf8")).toBe('{"jwt-secret": "s3cr3t-value"');
  });
});

describe("bulk", () => {
  test("returns every secret of the file as { name: { name: value } } and nothing from env", async () => {
    const secrets = createSecretStore({ dataDir, env: { UNRELATED: "hidden" }, generate: ["jwt-secret", "app-api-token"] });
    const response = await call(secrets, "secretstore/bulk");
    expect(response.status).toBe(200);
    expect(Object.keys(response.json).sort()).toEqual(["app-api-token", "jwt-secret"]);
    const jwt = (await call(secrets, "secretstore/jwt-secret")).json["jwt-secret"];
    expect(response.json["jwt-secret"]).toEqual({ "jwt-secret": jwt });
  });

  test("an env override of a file secret shows in bulk as in a single read", async () => {
    const secrets = createSecretStore({ dataDir, env: { SECRET_JWT_SECRET: "from-env" }, generate: ["jwt-secret"] });
    expect((await call(secrets, "secretstore/bulk")).json).toEqual({ "jwt-secret": { "jwt-secret": "from-env" } });
  });
});

describe("the secrets file", () => {
  test("is created once with mode 0600 and reused with the same values on the next start", async () => {
    const first = createSecretStore({ dataDir, env: {}, generate: ["jwt-secret"] });
    const path = secretsFilePath(dataDir);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const before = readFileSync(path, "utf8");
    const mtime = statSync(path).mtimeMs;

    const second = createSecretStore({ dataDir, env: {}, generate: ["jwt-secret"] });
    expect(second.get("jwt-secret")).toBe(first.get("jwt-secret"));
    expect(readFileSync(path, "utf8")).toBe(before);
    expect(statSync(path).mtimeMs).toBe(mtime);
    expect(readdirSync(dataDir)).toEqual(["secrets.json"]);
  });

  test("is not created when nothing needs generating", () => {
    createSecretStore({ dataDir, env: { SECRET_JWT_SECRET: "x" } });
    expect(existsSync(secretsFilePath(dataDir))).toBe(false);
  });

  test("is created in a data dir that does not exist yet", () => {
    const nested = join(dataDir, "not", "yet");
    const secrets = createSecretStore({ dataDir: nested, env: {}, generate: ["jwt-secret"] });
    expect(JSON.parse(readFileSync(secretsFilePath(nested), "utf8"))).toEqual({ "jwt-secret": secrets.get("jwt-secret") });
  });

  test("keeps existing values and adds a newly requested name", () => {
    const path = secretsFilePath(dataDir);
    writeFileSync(path, JSON.stringify({ "jwt-secret": "kept", nested: { user: "u" } }), { mode: 0o600 });
    const secrets = createSecretStore({ dataDir, env: {}, generate: ["jwt-secret", "app-api-token"] });
    expect(secrets.get("jwt-secret")).toBe("kept");
    expect(secrets.get("nested:user")).toBe("u");
    const saved = JSON.parse(readFileSync(path, "utf8"));
    expect(saved["jwt-secret"]).toBe("kept");
    expect(saved.nested).toEqual({ user: "u" });
    expect(saved["app-api-token"]).toBe(secrets.get("app-api-token"));
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  test("values a person put in the file are served like generated ones", async () => {
    writeFileSync(secretsFilePath(dataDir), JSON.stringify({ "smtp-password": "hunter2" }), { mode: 0o600 });
    const secrets = createSecretStore({ dataDir, env: {} });
    expect((await call(secrets, "secretstore/smtp-password")).json).toEqual({ "smtp-password": "hunter2" });
  });
});
