import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { startSystemProcess, type SystemProcess } from "../../e2e/harness/system-process.ts";

/** Debian's Chromium (apt install chromium); .ci/run installs it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ROOT = join(import.meta.dir, "../../..");

/**
 * Browser tests never skip by themselves: without Chromium they fail with
 * this message, unless SKIP_BROWSER_TESTS=1 says so explicitly.
 */
export const skipBrowserTests = !existsSync(CHROMIUM) && process.env.SKIP_BROWSER_TESTS === "1";

function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it (apt-get install -y chromium), point CHROMIUM_PATH at one, ` +
        "or set SKIP_BROWSER_TESTS=1 to skip the browser tests on purpose.",
    );
  }
}

export interface BrowserSystem {
  url: string;
  browser: Browser;
  /** kill -9 the system: nothing shuts down cleanly, open sockets just drop. */
  crash(): Promise<void>;
  /** Starts it again on the same port and data: open pages must reconnect by themselves. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `bun start` as a user runs it (the site built if stale, then the host on a
 * free port with its own data dir, no DATABASE_URL) and a headless Chromium.
 * Playwright gives each launch a fresh throwaway profile (user-data-dir).
 */
export async function startBrowserSystem(): Promise<BrowserSystem> {
  requireChromium();
  const build = Bun.spawnSync(["bun", join(ROOT, "scripts/ensure-site.ts"), "--strict"], { stdout: "pipe", stderr: "pipe" });
  if (build.exitCode !== 0) throw new Error(`the site did not build:\n${build.stdout.toString()}\n${build.stderr.toString()}`);

  const dataDir = mkdtempSync(join(tmpdir(), "todo-browser-"));
  const running = new Set<SystemProcess>();
  let system: SystemProcess;
  try {
    system = await startSystemProcess(dataDir, running);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const port = Number(new URL(system.url).port);
  return {
    url: system.url,
    browser,
    crash: () => system.crash(),
    async restart() {
      system = await startSystemProcess(dataDir, running, { port });
    },
    async close() {
      await browser.close().catch(() => {});
      await system.crash();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An account made through the API as the site makes one: sign up (202, no session), then sign in. */
export async function signUpAndIn(url: string, email: string, password = "correct horse battery") {
  const init = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) };
  const signup = await fetch(`${url}/api/auth/signup`, init);
  if (signup.status !== 202) throw new Error(`sign-up answered ${signup.status}: ${await signup.text()}`);
  const login = await fetch(`${url}/api/auth/login`, init);
  if (login.status !== 200) throw new Error(`sign-in answered ${login.status}: ${await login.text()}`);
  return (await login.json()) as { token: string; user: { id: string; email: string } };
}
