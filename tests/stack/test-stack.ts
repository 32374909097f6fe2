/**
 * bun run test:stack: the real stack up (unless it already is), then the Dapr
 * conformance suite against daprd, the end-to-end scenarios against the stack,
 * the fault injection (faults.stack.ts, platform-faults.stack.ts) and the
 * embedded full-disk test. Ends with "stack: N passed, N failed".
 */
import { REPO_ROOT } from "./layout.ts";
import { readStack, readStackFile, startStack, stopStack } from "./stack.ts";

interface Outcome {
  name: string;
  passed: number;
  failed: number;
  exitCode: number;
  seconds: number;
}

/** Runs bun test in a child, its output passed through and its pass/fail counts read from the summary. */
async function bunTest(name: string, paths: string[], env: Record<string, string>): Promise<Outcome> {
  console.log(`\n=== ${name}: bun test ${paths.join(" ")}`);
  const began = performance.now();
  const child = Bun.spawn(["bun", "test", ...paths], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  let output = "";
  const pass = async (stream: ReadableStream<Uint8Array>, sink: NodeJS.WriteStream) => {
    const decoder = new TextDecoder();
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      const text = decoder.decode(value, { stream: true });
      output += text;
      sink.write(text);
    }
  };
  await Promise.all([pass(child.stdout, process.stdout), pass(child.stderr, process.stderr)]);
  const exitCode = await child.exited;
  const count = (word: string) => Number(output.match(new RegExp(`^\\s*(\\d+) ${word}$`, "m"))?.[1] ?? 0);
  const failed = count("fail") || (exitCode !== 0 ? 1 : 0);
  return { name, passed: count("pass"), failed, exitCode, seconds: Math.round((performance.now() - began) / 1000) };
}

const began = performance.now();
let state = readStack();
const startedHere = !state;
if (!state) state = await startStack();
const upSeconds = Math.round((performance.now() - began) / 1000);

const outcomes: Outcome[] = [];
try {
  outcomes.push(await bunTest("Dapr conformance on daprd", ["tests/dapr-conformance"], { DAPR_CONFORMANCE_TARGET: "daprd" }));
  outcomes.push(
    await bunTest("end-to-end scenarios on the stack", ["./tests/e2e/live-sync.test.ts", "./tests/e2e/reminders.test.ts", "./tests/e2e/recurring-series.test.ts"], {
      E2E_TARGET: "stack",
    }),
  );
  outcomes.push(await bunTest("fault injection", ["./tests/stack/faults.stack.ts"], {}));
  outcomes.push(await bunTest("platform faults", ["./tests/stack/platform-faults.stack.ts"], {}));
  // Embedded mode on a tmpfs it mounts (root); it needs no stack but runs here with the other faults.
  outcomes.push(await bunTest("full disk (embedded)", ["./tests/stack/full-disk.stack.ts"], {}));
} finally {
  // The fault tests restart processes (new pids in stack.json): stop what the file lists now.
  if (startedHere && process.env.STACK_KEEP !== "1") await stopStack(readStackFile() ?? state);
}

console.log(`\nstack up: ${upSeconds} s${startedHere ? "" : " (already up)"}`);
for (const outcome of outcomes) console.log(`${outcome.name}: ${outcome.passed} passed, ${outcome.failed} failed (${outcome.seconds} s)`);
const passed = outcomes.reduce((sum, outcome) => sum + outcome.passed, 0);
const failed = outcomes.reduce((sum, outcome) => sum + outcome.failed, 0);
console.log(`stack: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || outcomes.some((outcome) => outcome.exitCode !== 0) ? 1 : 0);
