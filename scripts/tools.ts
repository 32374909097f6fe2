#!/usr/bin/env bun
/**
 * The command-line tools the chart and workflow checks need, built from the
 * Go module proxy (no release downloads here) and cached outside the repo:
 * `$TODO_TOOLS_DIR` (default `~/.cache/todo-tools`)/<name>-<version>/<name>.
 *
 *   bun scripts/tools.ts install    # builds whatever is missing (`bun test` does it first)
 *   bun scripts/tools.ts path helm  # prints where it is
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** The Kubernetes version charts are rendered and checked against (helm template --kube-version). */
export const KUBE_VERSION = "1.33.0";

interface Tool {
  version: string;
  module: string;
  ldflags?: string;
}

const [kubeMajor, kubeMinor] = KUBE_VERSION.split(".");

export const TOOLS = {
  helm: {
    version: "v3.22.0",
    module: "helm.sh/helm/v3/cmd/helm",
    // What the release Makefile sets: without it `helm version` says "v3.22" and
    // .Capabilities.KubeVersion defaults to v1.20.
    ldflags: [
      "-X helm.sh/helm/v3/internal/version.version=v3.22.0",
      `-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=${kubeMajor}`,
      `-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=${kubeMinor}`,
    ].join(" "),
  },
  actionlint: { version: "v1.7.12", module: "github.com/rhysd/actionlint/cmd/actionlint" },
} satisfies Record<string, Tool>;

export type ToolName = keyof typeof TOOLS;

const toolsDir = () => process.env.TODO_TOOLS_DIR || join(homedir(), ".cache", "todo-tools");

export function toolPath(name: ToolName): string {
  return join(toolsDir(), `${name}-${TOOLS[name].version}`, name);
}

/** The tool's path; throws a message that says how to get it (tests fail with it, never skip). */
export function requireTool(name: ToolName): string {
  const path = toolPath(name);
  if (!existsSync(path)) {
    throw new Error(`${name} ${TOOLS[name].version} is not installed at ${path}: run \`bun scripts/tools.ts install\` (\`bun test\` does it when Go is there)`);
  }
  return path;
}

/** Builds the tool into its cache folder unless it is there already. */
export async function installTool(name: ToolName): Promise<void> {
  const tool: Tool = TOOLS[name];
  const path = toolPath(name);
  if (existsSync(path)) return;
  const cmd = ["go", "install"];
  if (tool.ldflags) cmd.push("-ldflags", tool.ldflags);
  cmd.push(`${tool.module}@${tool.version}`);
  const proc = Bun.spawn(cmd, {
    env: { ...process.env, GOBIN: join(path, ".."), GOTOOLCHAIN: process.env.GOTOOLCHAIN || "auto" },
    stdout: "ignore",
    stderr: "inherit",
  });
  if ((await proc.exited) !== 0) throw new Error(`go install ${tool.module}@${tool.version} failed`);
}

if (import.meta.main) {
  const [command, name] = Bun.argv.slice(2);
  if (command === "install") {
    await Promise.all((Object.keys(TOOLS) as ToolName[]).map(installTool));
    for (const tool of Object.keys(TOOLS) as ToolName[]) console.log(`${tool} ${TOOLS[tool].version}: ${requireTool(tool)}`);
  } else if (command === "path" && name && name in TOOLS) {
    console.log(requireTool(name as ToolName));
  } else {
    console.error("usage: bun scripts/tools.ts install | path <helm|actionlint>");
    process.exit(2);
  }
}
