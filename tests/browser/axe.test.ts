import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import { signUpAndIn, skipBrowserTests, startBrowserSystem, type BrowserSystem } from "./harness/browser-system.ts";

/**
 * axe-core (the engine behind Lighthouse's and most accessibility audits) on
 * every state of the site people see: signed out, a first run, the board, the
 * filters, the editor, the shortcut help, the chat, a phone, the dark theme.
 * Also: right-to-left text renders right-to-left, and the islands mounting
 * shift the layout by less than 0.1 (Core Web Vitals "good").
 */
setDefaultTimeout(90_000);
const WAIT = 15_000;
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const URDU_TITLE = "بجلی کا بل ادا کریں";

describe.skipIf(skipBrowserTests)("axe-core, right-to-left text and layout shift", () => {
  let sys: BrowserSystem;
  let session: { token: string };

  beforeAll(async () => {
    sys = await startBrowserSystem();
    session = await signUpAndIn(sys.url, "amina@example.com");
    const day = 86_400_000;
    const tasks = [
      { title: "Pay rent", priority: "high", tags: ["home"], dueAt: new Date(Date.now() + day).toISOString() },
      { title: "Late report", priority: "medium", description: "for the board", dueAt: new Date(Date.now() - day).toISOString() },
      { title: "Stand-up", priority: "low", dueAt: "2030-01-07T09:00:00Z", recurrence: "FREQ=WEEKLY;BYDAY=MO,WE" },
      { title: "Dentist", remindAt: new Date(Date.now() + day).toISOString() },
      { title: URDU_TITLE, tags: ["home"] },
    ];
    for (const body of tasks) {
      const response = await fetch(`${sys.url}/api/tasks`, {
        method: "POST",
        headers: { authorization: `Bearer ${session.token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(201);
    }
  }, 90_000);

  afterAll(async () => {
    await sys?.close();
  });

  async function context(options: { phone?: boolean; dark?: boolean; signedIn?: { token: string } | null } = {}): Promise<BrowserContext> {
    const created = await sys.browser.newContext({
      viewport: options.phone ? { width: 390, height: 844 } : { width: 1280, height: 800 },
      isMobile: options.phone ?? false,
      hasTouch: options.phone ?? false,
      colorScheme: options.dark ? "dark" : "light",
      locale: "en-US",
    });
    const stored = options.signedIn === undefined ? session : options.signedIn;
    await created.addInitScript(
      ([value]) => {
        if (value) localStorage.setItem("todo.session", value);
        // Layout shift as the page sees it, from the first paint (Core Web Vitals' CLS, summed; no user input happens).
        const scope = window as unknown as { layoutShift: number };
        scope.layoutShift = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
            if (!entry.hadRecentInput) scope.layoutShift += entry.value;
          }
        }).observe({ type: "layout-shift", buffered: true });
      },
      [stored ? JSON.stringify(stored) : null],
    );
    return created;
  }

  /** axe's violations (every rule axe runs by default: WCAG 2.x A and AA and best practices), as "rule: element" lines. */
  async function violations(page: Page): Promise<string[]> {
    // Evaluated through the DevTools protocol, so the page keeps its real Content-Security-Policy.
    await page.evaluate(AXE);
    const found = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const result = await axe.run(document, { resultTypes: ["violations"] });
      return result.violations.flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(" ")}`));
    });
    return found;
  }

  const settled = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

  async function openBoard(options: Parameters<typeof context>[0] = {}, path = "/?view=all") {
    const browserContext = await context(options);
    const page = await browserContext.newPage();
    await page.goto(`${sys.url}${path}`);
    await page.locator("li.task").first().waitFor({ timeout: WAIT });
    await page.locator("#chat-panel").waitFor({ state: "attached", timeout: WAIT });
    await settled(page);
    return { browserContext, page };
  }

  // Measured first, on the seeded board: later tests add tasks and chat history, and on a phone the shift grows with them (open in issue 17).
  test("the islands mounting shift the layout by less than 0.1, on the desktop and on a phone", async () => {
    for (const phone of [false, true]) {
      const { browserContext, page } = await openBoard({ phone }, "/");
      const shift = await page.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift);
      console.log(`layout shift while the board loads (${phone ? "phone" : "desktop"}): ${shift.toFixed(4)}`);
      expect(shift).toBeLessThan(0.1);
      await browserContext.close();
    }
  });

  test("signed out, light and dark: no violations", async () => {
    for (const dark of [false, true]) {
      const browserContext = await context({ signedIn: null, dark });
      const page = await browserContext.newPage();
      await page.goto(sys.url);
      await page.getByRole("button", { name: "Sign up" }).waitFor({ timeout: WAIT });
      expect(await violations(page)).toEqual([]);
      // The check can fail: an image without a text alternative is reported.
      await page.evaluate(() => document.querySelector("main")!.append(Object.assign(document.createElement("img"), { src: "/favicon.svg" })));
      expect((await violations(page)).map((line) => line.split(":")[0])).toEqual(["image-alt"]);
      await browserContext.close();
    }
  });

  test("a first run (empty account): no violations", async () => {
    const browserContext = await context({ signedIn: await signUpAndIn(sys.url, "new@example.com") });
    const page = await browserContext.newPage();
    await page.goto(sys.url);
    await page.locator(".empty.first-run").waitFor({ timeout: WAIT });
    expect(await violations(page)).toEqual([]);
    await browserContext.close();
  });

  test("the board on the desktop: plain, filters open, editor open, shortcut help open, chat with messages; light and dark", async () => {
    for (const dark of [false, true]) {
      const { browserContext, page } = await openBoard({ dark });
      expect(await violations(page)).toEqual([]);
      await page.getByRole("button", { name: "Filter", exact: true }).click();
      await page.locator("#filter-panel").waitFor({ timeout: WAIT });
      expect(await violations(page)).toEqual([]);
      await page.getByRole("button", { name: "Edit Stand-up" }).click();
      await page.getByRole("form", { name: "Edit Stand-up" }).waitFor({ timeout: WAIT });
      expect(await violations(page)).toEqual([]);
      await page.keyboard.press("Escape");
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press("?");
      await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor({ timeout: WAIT });
      expect(await violations(page)).toEqual([]);
      await page.keyboard.press("Escape");
      await page.getByLabel("Message to the assistant").fill("show my tasks");
      await page.getByRole("button", { name: "Send" }).click();
      await page.locator(".message.assistant").waitFor({ timeout: WAIT });
      expect(await violations(page)).toEqual([]);
      await browserContext.close();
    }
  });

  test("on a phone: the board and the chat sheet, light and dark", async () => {
    for (const dark of [false, true]) {
      const { browserContext, page } = await openBoard({ phone: true, dark }, "/?view=upcoming");
      expect(await violations(page)).toEqual([]);
      await page.getByRole("button", { name: "Chat" }).tap();
      await page.getByLabel("Message to the assistant").waitFor({ timeout: WAIT });
      expect(await violations(page)).toEqual([]);
      await browserContext.close();
    }
  });


  test("Urdu renders right-to-left on the board and in the chat", async () => {
    const { browserContext, page } = await openBoard();
    const title = page.locator(".task-title", { hasText: URDU_TITLE });
    expect(await title.getAttribute("dir")).toBe("auto");
    expect(await title.evaluate((element) => getComputedStyle(element).direction)).toBe("rtl");
    // An English title next to it stays left-to-right.
    expect(await page.locator(".task-title", { hasText: "Pay rent" }).evaluate((element) => getComputedStyle(element).direction)).toBe("ltr");
    await page.getByLabel("Message to the assistant").fill("میرے کام دکھائیں");
    await page.getByRole("button", { name: "Send" }).click();
    const message = page.locator(".message.user .message-text");
    await message.waitFor({ timeout: WAIT });
    expect(await message.evaluate((element) => getComputedStyle(element).direction)).toBe("rtl");
    await browserContext.close();
  });

});
