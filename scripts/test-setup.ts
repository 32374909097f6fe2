/**
 * `bun test` preloads this (bunfig.toml): before any test runs, it installs
 * what the selected tests need and is missing on this machine (helm and
 * actionlint built from the Go module proxy into ~/.cache, shellcheck and
 * Chromium from apt when running as root), saying what it does and how long
 * it took. On a warm machine it costs a few stat calls. What cannot be done
 * here (no root for apt, no Go) is left to the tests, which fail with a
 * message saying how to get it.
 */
import { existsSync, readFileSync } from "node:fs";
import { installTool, toolPath, TOOLS, type ToolName } from "./tools.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The paths the user asked `bun test` for; none means every test. (A preload's Bun.argv names a test file, not them.) */
const filters = commandLine().slice(2).filter((arg) => !arg.startsWith("-"));

function commandLine(): string[] {
  try {
    return readFileSync("/proc/self/cmdline", "utf8").split("\0").filter(Boolean);
  } catch {
    return [];
  }
}
const selects = (dir: string) => filters.length === 0 || filters.some((filter) => dir.includes(filter) || filter.includes(dir));

function onPath(command: string): boolean {
  return Bun.spawnSync(["sh", "-c", `command -v ${command}`], { stdout: "ignore", stderr: "ignore" }).exitCode === 0;
}

/** Installs Debian packages when this process may (root with apt-get); reports whether it did. */
function aptInstall(packages: string[], why: string): boolean {
  if (process.getuid?.() !== 0 || !onPath("apt-get")) {
    console.error(`test setup: cannot install ${packages.join(", ")} (${why}): needs root and apt-get; install them yourself`);
    return false;
  }
  return timed(`installing ${packages.join(", ")} from apt (${why})`, () => {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const update = Bun.spawnSync(["apt-get", "update", "-qq"], { env, stdout: "ignore", stderr: "inherit" });
    const install = Bun.spawnSync(["apt-get", "install", "-y", "-qq", ...packages], { env, stdout: "ignore", stderr: "inherit" });
    return update.exitCode === 0 && install.exitCode === 0;
  });
}

function timed<T>(what: string, run: () => T): T {
  const started = performance.now();
  console.error(`test setup: ${what} ...`);
  const result = run();
  console.error(`test setup: ${what}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

if (selects("tests/chart")) {
  const missing = (Object.keys(TOOLS) as ToolName[]).filter((name) => !existsSync(toolPath(name)));
  if (missing.length > 0 && (onPath("go") || aptInstall(["golang-go"], "Go builds helm and actionlint"))) {
    for (const name of missing) {
      await timedAsync(`building ${name} ${TOOLS[name].version} from the Go module proxy (minutes, once)`, () => installTool(name));
    }
  }
  // actionlint checks the workflows' run: scripts with shellcheck.
  if (!onPath("shellcheck")) aptInstall(["shellcheck"], "actionlint checks workflow scripts with it");
}

if (selects("tests/browser") && !existsSync(CHROMIUM)) aptInstall(["chromium"], "the browser tests drive it");

async function timedAsync(what: string, run: () => Promise<unknown>) {
  const started = performance.now();
  console.error(`test setup: ${what} ...`);
  try {
    await run();
    console.error(`test setup: ${what}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    console.error(`test setup: ${what} failed: ${(error as Error).message}`);
  }
}
