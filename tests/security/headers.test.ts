import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { serveApp } from "@todo/common";
import { CHROMIUM, skipBrowserTests } from "../browser/harness/browser-system.ts";
import { startEmbeddedHost, type EmbeddedHost } from "@todo/embedded/host";
import { services } from "@todo/embedded/services";
import { createServiceHost } from "@todo/testkit/service-host";

/**
 * The headers a browser gets from `bun start` (the same code serves each
 * service and the site container behind the Ingress): a CSP of
 * `default-src 'self'` with no framing that the real site runs under in
 * Chromium without a single violation (the island loader's inline scripts
 * are allowed by hash), Referrer-Policy, Permissions-Policy, HSTS only over
 * TLS, and an API reference that loads nothing from another origin.
 */
setDefaultTimeout(120_000);
const ROOT = join(import.meta.dir, "../..");
const serviceHost = createServiceHost();
let sys: { url: string; browser: Browser };
let host: EmbeddedHost;
let dataDir: string;

// The host in this process (the built site, a free port), so a busy machine's slow child start cannot time it out.
beforeAll(async () => {
  if (skipBrowserTests) return;
  const build = Bun.spawnSync(["bun", join(ROOT, "scripts/ensure-site.ts"), "--strict"], { stdout: "pipe", stderr: "pipe" });
  if (build.exitCode !== 0) throw new Error(`the site did not build:\n${build.stdout}\n${build.stderr}`);
  dataDir = mkdtempSync(join(tmpdir(), "todo-headers-"));
  host = await startEmbeddedHost({ port: 0, host: "127.0.0.1", dataDir, daprHttpPort: 0, logLevel: "error", siteDir: join(ROOT, "site/dist") });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
  sys = { url: host.url, browser };
}, 120_000);
afterAll(async () => {
  await sys?.browser.close().catch(() => {});
  await host?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const directives = (policy: string | null) =>
  new Map((policy ?? "").split(";").map((part) => part.trim().split(/\s+/)).map(([name = "", ...values]) => [name, values]));

describe.skipIf(skipBrowserTests)("security headers", () => {
  test("the site's pages: default-src 'self', no framing, only its own inline scripts by hash", async () => {
    for (const path of ["/", "/no-such-page"]) {
      const response = await fetch(`${sys.url}${path}`);
      const csp = directives(response.headers.get("content-security-policy"));
      expect(csp.get("default-src")).toEqual(["'self'"]);
      expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
      expect(csp.get("object-src")).toEqual(["'none'"]);
      expect(csp.get("script-src")?.join(" ")).not.toContain("unsafe-inline");
      const html = await response.text();
      for (const match of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
        const hash = `'sha256-${createHash("sha256").update(match[1]!).digest("base64")}'`;
        expect(csp.get("script-src")).toContain(hash);
      }
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("permissions-policy")).toContain("camera=()");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("strict-transport-security")).toBeNull();
    }
  });

  test("API answers carry default-src 'none'; HSTS once TLS ended in front (X-Forwarded-Proto: https)", async () => {
    const api = await fetch(`${sys.url}/api/tasks`);
    expect(api.status).toBe(401);
    expect(directives(api.headers.get("content-security-policy")).get("default-src")).toEqual(["'none'"]);
    expect(api.headers.get("referrer-policy")).toBe("no-referrer");
    const overTls = await fetch(`${sys.url}/healthz`, { headers: { "x-forwarded-proto": "https" } });
    expect(overTls.headers.get("strict-transport-security")).toStartWith("max-age=");
    // A 400 from the gate in front of everything carries them too.
    const refused = await fetch(`${sys.url}/api//tasks`);
    expect(refused.status).toBe(400);
    expect(refused.headers.get("content-security-policy")).toBeTruthy();
  });

  test("the site runs in Chromium under its policy without a violation, and cannot be framed", async () => {
    const context = await sys.browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        console.error(`Refused to load: ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    await page.goto(sys.url);
    // The sign-up form is an island: it renders only if its scripts ran.
    await page.getByLabel("Email").fill("headers@example.com");
    await page.getByLabel("Password").fill("a long enough passphrase");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Tasks", exact: true }).waitFor({ timeout: 15_000 });
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });

    await page.goto(`${sys.url}/api/docs`);
    await page.getByText("/api/tasks").first().waitFor({ timeout: 15_000 });
    expect(violations).toEqual([]);

    // Another origin framing the site gets nothing (frame-ancestors 'none').
    await page.setContent(`<iframe id="f" src="${sys.url}/"></iframe>`);
    const framed = await page.frameLocator("#f").getByLabel("Email").count();
    expect(framed).toBe(0);
    await context.close();
  });

  test("/api/docs loads its viewer from this origin only", async () => {
    const page = await (await fetch(`${sys.url}/api/docs`)).text();
    expect(page).not.toMatch(/https?:\/\//);
  });
});

describe("security headers on a service's own port (distributed mode)", () => {
  test("every answer of every service carries them", async () => {
    try {
      for (const service of services) {
        const app = await service.createApp(serviceHost.deps(), serviceHost.context());
        const server = serveApp(app, { port: 0, hostname: "127.0.0.1", logger: serviceHost.deps().logger });
        try {
          for (const path of ["/healthz", "/no-such-route"]) {
            const response = await fetch(`http://127.0.0.1:${server.port}${path}`);
            expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
            expect(response.headers.get("referrer-policy")).toBe("no-referrer");
          }
        } finally {
          await server.stop(true);
        }
      }
    } finally {
      await serviceHost.close();
    }
  });
});
