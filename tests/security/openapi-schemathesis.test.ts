import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { startTestHost, type TestHost } from "@todo/testkit/system";

/**
 * The OpenAPI documents (chat-api's /api/docs/json, audit's
 * /api/audit/docs/json) are valid, list every public route, and hold up
 * against schemathesis (PyPI; .ci/run installs it into a venv under
 * ~/.cache/todo-schemathesis) throwing generated and mutated requests at
 * the running system: no 5xx, every status and body as documented, invalid
 * input refused.
 *
 * Two checks are left out, on purpose: `positive_data_acceptance` (a body the
 * schema allows may still break a rule and get 422 or 409, by design) and
 * `unsupported_method` (an undeclared method answers 404 like any unknown
 * route, not 405).
 */
setDefaultTimeout(600_000);
const ST = process.env.SCHEMATHESIS_BIN ?? join(homedir(), ".cache/todo-schemathesis/venv/bin/st");
const EXAMPLES = process.env.SCHEMATHESIS_MAX_EXAMPLES ?? "25";
const DOCUMENTS = ["/api/docs/json", "/api/audit/docs/json"];
let system: TestHost;
let token: string;
const workDir = mkdtempSync(join(tmpdir(), "todo-schemathesis-"));

beforeAll(async () => {
  if (!existsSync(ST)) {
    throw new Error(`schemathesis is missing at ${ST}: python3 -m venv ~/.cache/todo-schemathesis/venv && ~/.cache/todo-schemathesis/venv/bin/pip install schemathesis==4.32.5 (or set SCHEMATHESIS_BIN)`);
  }
  system = await startTestHost();
  token = (await system.signup("schemathesis")).token;
}, 120_000);
afterAll(async () => {
  await system?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

describe("the OpenAPI documents", () => {
  test("together they document every public route of chat-api and audit, with error answers", async () => {
    const documented = new Set<string>();
    for (const path of DOCUMENTS) {
      const doc = (await (await fetch(`${system.url}${path}`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
      for (const [route, item] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(item)) {
          documented.add(`${method.toUpperCase()} ${route}`);
          expect(Object.keys(operation.responses), `${method} ${route}`).toContain("400");
        }
      }
    }
    const routes = system.host.apps
      .filter(({ appId }) => appId === "chat-api" || appId === "audit")
      .flatMap(({ publicPaths, routes: all }) =>
        all.filter(({ path }) => publicPaths.some((prefix) => path === prefix || path.startsWith(prefix + "/"))),
      )
      .filter(({ path }) => !path.startsWith("/api/docs") && !path.startsWith("/api/audit/docs"))
      // GET and DELETE /mcp only say "stateless: 405"; they are hidden on purpose.
      .filter(({ method, path }) => !(path === "/mcp" && method !== "POST"))
      .map(({ method, path }) => `${method} ${path.replace(/:([A-Za-z]+)/g, "{$1}")}`);
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((route) => !documented.has(route))).toEqual([]);
  });

  test.each(DOCUMENTS)("schemathesis against %s finds nothing", async (path) => {
    const run = Bun.spawn(
      [
        ST, "run", `${system.url}${path}`,
        "-H", `Authorization: Bearer ${token}`,
        "--max-examples", EXAMPLES,
        "--phases", "examples,coverage,fuzzing",
        "--exclude-checks", "positive_data_acceptance,unsupported_method",
        "--workers", "2",
        "--no-color",
      ],
      // Its cache (.schemathesis/) goes to a throwaway working directory, not the repository.
      { stdout: "pipe", stderr: "pipe", cwd: workDir, env: { ...process.env, SCHEMATHESIS_TELEMETRY: "false" } },
    );
    const [out, err, code] = await Promise.all([new Response(run.stdout).text(), new Response(run.stderr).text(), run.exited]);
    if (code !== 0) throw new Error(`schemathesis exited ${code}:\n${out.slice(-12_000)}\n${err.slice(-4_000)}`);
    expect(out).toMatch(/\d+ generated, \d+ passed/);
    expect(out).not.toContain("Failures:");
  });
});
