/**
 * The test cluster from TypeScript: where its state is, how to run a command
 * inside its network namespace, and what `k8s:up` recorded (state.json).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const K8S_DIR = process.env.K8S_DIR ?? "/tmp/todo-k8s";
export const NETNS = process.env.K8S_NETNS ?? "todo-k8s";
export const NODE_IP = process.env.K8S_NODE_IP ?? "10.77.0.2";
export const NAMESPACE = "todo";
export const KUBECONFIG = join(K8S_DIR, "kubeconfig/super-admin.conf");
const CLUSTER_SH = join(REPO_ROOT, "tests/k8s/cluster.sh");

export interface K8sState {
  /** Image tag the chart runs now. */
  tag: string;
  /** In-cluster Service URLs by service name (reachable inside the namespace). */
  urls: Record<string, string>;
  /** Seconds each bring-up phase took. */
  timings: Record<string, number>;
}

export const statePath = () => join(K8S_DIR, "state.json");

export function readK8sState(): K8sState | undefined {
  return existsSync(statePath()) ? (JSON.parse(readFileSync(statePath(), "utf8")) as K8sState) : undefined;
}

/** argv that runs `argv` inside the cluster's namespace with KUBECONFIG and kubectl on PATH. */
export const inCluster = (argv: string[]) => [CLUSTER_SH, "run", ...argv];

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function run(argv: string[], options: { inherit?: boolean; env?: Record<string, string> } = {}): Promise<RunResult> {
  const proc = Bun.spawn(argv, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdout: options.inherit ? "inherit" : "pipe",
    stderr: options.inherit ? "inherit" : "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    options.inherit ? "" : new Response(proc.stdout as ReadableStream).text(),
    options.inherit ? "" : new Response(proc.stderr as ReadableStream).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr };
}

/** Runs argv and throws with its output when it fails. */
export async function must(argv: string[], options: { inherit?: boolean; env?: Record<string, string> } = {}): Promise<string> {
  const result = await run(argv, options);
  if (result.code !== 0) throw new Error(`${argv.join(" ")} exited ${result.code}\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

export const kubectl = (...args: string[]) => must(inCluster(["kubectl", "-n", NAMESPACE, ...args]));

export async function kubectlJson<T = any>(...args: string[]): Promise<T> {
  return JSON.parse(await kubectl(...args, "-o", "json")) as T;
}
