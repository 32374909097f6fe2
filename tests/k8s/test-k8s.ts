/**
 * bun run test:k8s: the cluster up (unless it already is), then the checks of
 * the deployment, the smoke script against the Services, the end-to-end
 * scenarios against the cluster and the faults; everything it started is
 * removed at the end. Ends with "k8s: N passed, M failed".
 */
import { existsSync } from "node:fs";
import { inCluster, NETNS, readK8sState, REPO_ROOT } from "./cluster.ts";
import { stopK8s } from "./down.ts";
import { startK8s } from "./up.ts";

interface Outcome {
  name: string;
  passed: number;
  failed: number;
  exitCode: number;
  seconds: number;
}

/** Runs argv inside the cluster's namespace, output passed through, and reads bun test's pass/fail summary. */
async function step(name: string, argv: string[], env: Record<string, string> = {}): Promise<Outcome> {
  console.log(`\n=== ${name}: ${argv.join(" ")}`);
  const began = performance.now();
  const child = Bun.spawn(inCluster(argv), { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
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
  // A step that is not bun test (the smoke script) counts as one test.
  const isBunTest = argv[1] === "test";
  const passed = isBunTest ? count("pass") : exitCode === 0 ? 1 : 0;
  const failed = isBunTest ? count("fail") || (exitCode !== 0 ? 1 : 0) : exitCode === 0 ? 0 : 1;
  return { name, passed, failed, exitCode, seconds: Math.round((performance.now() - began) / 1000) };
}

const began = performance.now();
const startedHere = !readK8sState();
const outcomes: Outcome[] = [];
let upFailed = false;
try {
  // A namespace without state.json is what a bring-up that failed half-way left: clear it first.
  if (startedHere && existsSync(`/run/netns/${NETNS}`)) await stopK8s();
  const state = readK8sState() ?? (await startK8s());
  const upSeconds = Math.round((performance.now() - began) / 1000);
  console.log(`\nk8s up: ${upSeconds} s${startedHere ? "" : " (already up)"}`);
  outcomes.push(await step("the deployment on the cluster", ["bun", "test", "./tests/k8s/deployment.k8s.ts"]));
  outcomes.push(
    await step("smoke against the Services", ["bun", "scripts/smoke.ts", state.urls["chat-api"]!], {
      SMOKE_AUDIT_URL: state.urls.audit!,
      SMOKE_WS_URL: state.urls.websocket!,
      SMOKE_READY_URLS: Object.values(state.urls).join(","),
    }),
  );
  outcomes.push(await step("site through its Service", ["bun", "test", "./tests/k8s/site.k8s.ts"]));
  outcomes.push(
    await step("end-to-end scenarios on the cluster", ["bun", "test", "./tests/e2e/live-sync.test.ts", "./tests/e2e/reminders.test.ts", "./tests/e2e/recurring-series.test.ts"], {
      E2E_TARGET: "k8s",
    }),
  );
  outcomes.push(await step("faults on the cluster", ["bun", "test", "./tests/k8s/faults.k8s.ts"]));
} catch (error) {
  console.error(`k8s: bring-up failed: ${(error as Error).message}`);
  upFailed = true;
} finally {
  if (startedHere && process.env.K8S_KEEP !== "1") await stopK8s().catch((error) => console.error(`k8s:down failed: ${error.message}`));
}

for (const outcome of outcomes) console.log(`${outcome.name}: ${outcome.passed} passed, ${outcome.failed} failed (${outcome.seconds} s)`);
const passed = outcomes.reduce((sum, outcome) => sum + outcome.passed, 0);
const failed = outcomes.reduce((sum, outcome) => sum + outcome.failed, 0) + (upFailed ? 1 : 0);
console.log(`k8s total: ${Math.round((performance.now() - began) / 1000)} s`);
console.log(`k8s: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
