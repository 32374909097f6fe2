/**
 * A sidecar child process with its output kept for failure messages and a
 * guarantee that it dies with the test process, even when a test crashes
 * before afterAll runs.
 */
import type { Subprocess } from "bun";

export interface ChildProcess {
  readonly pid: number;
  readonly exited: Promise<number>;
  hasExited(): boolean;
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves to whether it exited in time. */
  terminate(graceMs: number): Promise<boolean>;
  kill(): Promise<void>;
}

const OUTPUT_LIMIT = 64 * 1024;

export function spawnChild(options: { cmd: string[]; env: Record<string, string>; cwd: string }): ChildProcess {
  const proc: Subprocess<"ignore", "pipe", "pipe"> = Bun.spawn({
    cmd: options.cmd,
    env: options.env,
    cwd: options.cwd,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let output = "";
  const append = (text: string) => {
    output += text;
    if (output.length > OUTPUT_LIMIT) output = output.slice(output.length - OUTPUT_LIMIT);
  };
  void drain(proc.stdout, append);
  void drain(proc.stderr, append);

  let exited = false;
  const killOnExit = () => {
    if (!exited) proc.kill("SIGKILL");
  };
  process.on("exit", killOnExit);
  const exitedPromise = proc.exited.then((code) => {
    exited = true;
    process.off("exit", killOnExit);
    return code;
  });

  return {
    pid: proc.pid,
    exited: exitedPromise,
    hasExited: () => exited,
    output: () => output,
    terminate: async (graceMs) => {
      if (exited) return true;
      proc.kill("SIGTERM");
      const inTime = await Promise.race([exitedPromise.then(() => true), Bun.sleep(graceMs).then(() => false)]);
      if (!inTime) {
        proc.kill("SIGKILL");
        await exitedPromise;
      }
      return inTime;
    },
    kill: async () => {
      if (!exited) proc.kill("SIGKILL");
      await exitedPromise;
    },
  };
}

async function drain(stream: ReadableStream<Uint8Array>, append: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      append(decoder.decode(value, { stream: true }));
    }
  } catch {
    // The stream closes with the process; nothing left to read.
  }
}
