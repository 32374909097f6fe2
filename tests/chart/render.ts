import { join } from "node:path";
import { KUBE_VERSION, requireTool } from "../../scripts/tools.ts";

export const CHART_DIR = join(import.meta.dir, "../../chart");

/** One rendered Kubernetes object, as helm template prints it. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

export interface RenderOptions {
  /** Values files relative to chart/ (values.yaml is always applied first by helm). */
  valuesFiles?: string[];
  /** --set-json key=value pairs. */
  set?: Record<string, unknown>;
  /** Extra values written to a temporary file (what a user's own values file would hold). */
  values?: Record<string, unknown>;
}

/** `helm <args>` with the cached helm; resolves to its output, or rejects with it. */
export async function helm(args: string[]): Promise<string> {
  const proc = Bun.spawn([requireTool("helm"), ...args], { stdout: "pipe", stderr: "pipe", env: { ...process.env, HELM_CACHE_HOME: join(process.env.TMPDIR ?? "/tmp", "todo-helm-cache") } });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`helm ${args.join(" ")} exited ${code}:\n${stderr}${stdout}`);
  return stdout + stderr;
}

/** `helm template` with a realistic .Capabilities.KubeVersion, parsed into objects. */
export async function renderChart(options: RenderOptions = {}): Promise<Manifest[]> {
  const args = ["template", "todo", CHART_DIR, "--namespace", "todo", "--kube-version", KUBE_VERSION];
  for (const file of options.valuesFiles ?? []) args.push("-f", join(CHART_DIR, file));
  let extra: string | undefined;
  if (options.values) {
    extra = join(process.env.TMPDIR ?? "/tmp", `todo-values-${crypto.randomUUID()}.json`);
    await Bun.write(extra, JSON.stringify(options.values));
    args.push("-f", extra);
  }
  for (const [key, value] of Object.entries(options.set ?? {})) args.push("--set-json", `${key}=${JSON.stringify(value)}`);
  try {
    return parseManifests(await helm(args));
  } finally {
    if (extra) await Bun.file(extra).delete();
  }
}

export function parseManifests(text: string): Manifest[] {
  return text
    .split(/^---\s*$/m)
    .map((document) => Bun.YAML.parse(document) as Manifest | null)
    .filter((document): document is Manifest => document !== null && typeof document === "object");
}

export const ofKind = (manifests: Manifest[], kind: string) => manifests.filter((manifest) => manifest.kind === kind);

export function named(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(", ")}`);
  return found;
}
