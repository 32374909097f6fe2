import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { binaries } from "../../scripts/binaries.ts";
import { requireTool } from "../../scripts/tools.ts";

/** .github/workflows checked by actionlint (with shellcheck on the run: scripts), plus the release rules they must keep. */
const root = join(import.meta.dir, "../..");
const workflowsDir = join(root, ".github/workflows");
const workflow = (name: string) => readFileSync(join(workflowsDir, name), "utf8");

/** actionlint on the repository's workflows, or on one workflow given as text (stdin). */
async function actionlint(source?: string): Promise<{ code: number; output: string }> {
  if (!Bun.which("shellcheck")) throw new Error("shellcheck is not on PATH (apt-get install shellcheck; .ci/run does): actionlint would skip the run: scripts");
  const args = [requireTool("actionlint"), "-pyflakes=", "-no-color", ...(source === undefined ? [] : ["-"])];
  const proc = Bun.spawn(args, { cwd: root, stdin: source === undefined ? "ignore" : new Blob([source]), stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, output: stdout + stderr };
}

describe("actionlint", () => {
  test("passes on every workflow", async () => {
    expect(readdirSync(workflowsDir).sort()).toEqual(["build.yml", "deploy-cloud.yml", "deploy-local.yml"]);
    const { code, output } = await actionlint();
    expect(output).toBe("");
    expect(code).toBe(0);
  });

  test("fails on a workflow with an undefined step output and an unquoted variable", async () => {
    const { code, output } = await actionlint(
      ["on: push", "jobs:", "  one:", "    runs-on: ubuntu-24.04", "    steps:", "      - run: echo ${{ steps.nope.outputs.digest }} > $GITHUB_OUTPUT"].join("\n"),
    );
    expect(code).not.toBe(0);
    expect(output).toContain("steps.nope");
    expect(output).toContain("shellcheck");
  });
});

describe("release rules", () => {
  test("images are built once, in build.yml, for every program; the deploys only promote digests", () => {
    const matrix = /service: \[([^\]]+)\]/.exec(workflow("build.yml"))?.[1]?.split(",").map((name) => name.trim());
    expect(matrix?.sort()).toEqual(binaries.map((binary) => binary.name).sort());
    for (const deploy of ["deploy-local.yml", "deploy-cloud.yml"]) {
      expect(workflow(deploy)).not.toMatch(/build-push-action|docker build|buildx build|build:binaries/);
      expect(workflow(deploy)).toContain("release/digests-values.json");
    }
  });

  test("every action is pinned to an exact release or commit", () => {
    for (const name of readdirSync(workflowsDir)) {
      for (const [, action] of workflow(name).matchAll(/uses:\s*(\S+)/g)) {
        expect({ name, action }).toEqual({ name, action: expect.stringMatching(/@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/) });
      }
    }
  });

  test("the Dockerfile copies every workspace manifest before bun install --frozen-lockfile", () => {
    const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8");
    const workspaces = [...readdirSync(join(root, "services")).map((name) => `services/${name}`), "site"];
    for (const workspace of workspaces) expect(dockerfile).toContain(`COPY ${workspace}/package.json ${workspace}/`);
    expect(dockerfile).toMatch(/FROM gcr\.io\/distroless\/base-debian12:nonroot/);
    expect(dockerfile).toMatch(/USER nonroot/);
  });
});
