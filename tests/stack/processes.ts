/**
 * Long-lived processes of the real stack: started detached (they outlive
 * `stack:up`), output appended to one log file each, described by a record
 * that is enough to kill and start them again (fault injection, stack:down).
 */
import { spawn } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync } from "node:fs";
import { waitFor } from "@todo/testkit";

export interface ProcessRecord {
  name: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  log: string;
  pid: number;
}

export type ProcessSpec = Omit<ProcessRecord, "pid">;

/** Starts the process in its own process group, stdout and stderr appended to `log`. */
export function startDetached(spec: ProcessSpec): ProcessRecord {
  const fd = openSync(spec.log, "a");
  try {
    const child = spawn(spec.argv[0]!, spec.argv.slice(1), {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ["ignore", fd, fd],
    });
    if (child.pid === undefined) throw new Error(`could not start ${spec.name}: ${spec.argv.join(" ")}`);
    child.unref();
    return { ...spec, pid: child.pid };
  } finally {
    closeSync(fd);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to the process and waits until it is gone (SIGKILL after `graceMs`). */
export async function stopProcess(pid: number, signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  try {
    await waitFor(() => !isAlive(pid) || isZombie(pid), { timeoutMs: graceMs, intervalMs: 20, message: `pid ${pid} to exit` });
  } catch {
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
    await waitFor(() => !isAlive(pid) || isZombie(pid), { timeoutMs: 5_000, intervalMs: 20, message: `pid ${pid} to die` });
  }
}

/** kill -9: the process gets no chance to flush or say goodbye. */
export const killHard = (pid: number) => stopProcess(pid, "SIGKILL");

/** kill -9 of a process and every process under it (a server and its workers dying together, as in a crash of its host). */
export async function killTreeHard(pid: number): Promise<void> {
  const tree = [pid, ...descendantsOf(pid)];
  for (const member of tree) {
    try {
      process.kill(member, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await Promise.all(tree.map((member) => stopProcess(member, "SIGKILL")));
}

function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // exited while listing
    }
  }
  const found: number[] = [];
  for (let queue = [pid]; queue.length > 0; ) {
    const next = children.get(queue.pop()!) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

/** Exited, or exited and not reaped yet (this machine's init may take its time to reap orphans). */
export const isGone = (pid: number) => !isAlive(pid) || isZombie(pid);

/** A detached child of this process that has exited but was not reaped yet counts as gone. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

/** Exit status of a short command, with its output, for readiness checks and setup steps. */
export async function run(argv: string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
  const proc = Bun.spawn(argv, { env: options.env ?? (process.env as Record<string, string>), cwd: options.cwd, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

/** Last lines of a log file, for failure messages. */
export async function tailOf(log: string, lines = 40): Promise<string> {
  const text = await Bun.file(log).text().catch(() => "");
  return text.split("\n").slice(-lines).join("\n");
}
