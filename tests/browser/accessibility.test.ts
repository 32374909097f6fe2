import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Page } from "playwright-core";
import { skipBrowserTests, startBrowserSystem, type BrowserSystem } from "./harness/browser-system.ts";

/**
 * Accessibility basics of the site in Chromium against `bun start`: every
 * control has an accessible name in Chromium's own accessibility tree, quick
 * add works with the keyboard alone in a sensible focus order, focus is
 * visible, live regions exist, and text contrast holds in both themes.
 */
setDefaultTimeout(90_000);
const WAIT = 15_000;
const CONTROL_ROLES = new Set(["textbox", "searchbox", "combobox", "checkbox", "radio", "button", "spinbutton", "link", "tab"]);

describe.skipIf(skipBrowserTests)("site accessibility", () => {
  let sys: BrowserSystem;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    sys = await startBrowserSystem();
    const credentials = {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "grace@example.com", password: "correct horse battery" }),
    };
    expect((await fetch(`${sys.url}/api/auth/signup`, credentials)).status).toBe(202);
    const session = (await (await fetch(`${sys.url}/api/auth/login`, credentials)).json()) as { token: string; user: unknown };
    token = session.token;
    // Tasks that show every kind of badge: priority, due, overdue, recurring, reminder, tags.
    const tasks = [
      { title: "Pay rent", priority: "high", tags: ["home"], dueAt: new Date(Date.now() + 86_400_000).toISOString() },
      { title: "Late report", priority: "medium", dueAt: new Date(Date.now() - 86_400_000).toISOString() },
      { title: "Stand-up", priority: "low", dueAt: "2030-01-07T09:00:00Z", recurrence: "FREQ=WEEKLY;BYDAY=MO,WE" },
      { title: "Dentist", remindAt: new Date(Date.now() + 86_400_000).toISOString() },
    ];
    for (const body of tasks) {
      const response = await fetch(`${sys.url}/api/tasks`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(201);
    }
    const context = await sys.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript((stored) => localStorage.setItem("todo.session", stored), JSON.stringify(session));
    page = await context.newPage();
    await page.goto(`${sys.url}/?view=all`);
    await page.locator("li.task").nth(3).waitFor({ timeout: WAIT });
  }, 90_000);

  afterAll(async () => {
    await sys?.close();
  });

  /** Controls in Chromium's accessibility tree that have no name. */
  async function unnamedControls(): Promise<string[]> {
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = (await cdp.send("Accessibility.getFullAXTree")) as {
      nodes: { ignored: boolean; role?: { value: string }; name?: { value: string }; backendDOMNodeId?: number }[];
    };
    await cdp.detach();
    return nodes
      .filter((node) => !node.ignored && CONTROL_ROLES.has(node.role?.value ?? "") && !node.name?.value?.trim())
      .map((node) => `${node.role?.value} (dom node ${node.backendDOMNodeId})`);
  }

  test("every control has an accessible name, on the board and in an open editor", async () => {
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    expect(await page.locator("input, select, textarea, button").count()).toBeGreaterThan(20);
    expect(await unnamedControls()).toEqual([]);
    await page.getByRole("button", { name: "Edit Stand-up" }).click();
    await page.getByRole("form", { name: "Edit Stand-up" }).waitFor({ timeout: WAIT });
    await page.getByLabel("After").check();
    await page.getByLabel("On date").check();
    expect(await unnamedControls()).toEqual([]);
    await page.keyboard.press("Escape");
    await page.getByRole("form", { name: "Edit Stand-up" }).waitFor({ state: "detached", timeout: WAIT });
  });

  test("keyboard only: skip link, then quick add comes first in the board, Enter adds, focus stays for the next line", async () => {
    await page.goto(`${sys.url}/?view=all`);
    await page.locator("li.task").nth(3).waitFor({ timeout: WAIT });
    await page.keyboard.press("Tab");
    expect(await focusedName()).toBe("Skip to content");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    // From the main landmark the first stop is the quick add line, before any filter or task.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("quick-add-input");
    await page.keyboard.type("Water plants tomorrow 8am #garden");
    await page.locator("#quick-add-preview .chip", { hasText: "#garden" }).waitFor({ timeout: WAIT });
    await page.keyboard.press("Enter");
    await page.locator("li.task .task-title", { hasText: "Water plants" }).waitFor({ timeout: WAIT });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("quick-add-input");

    // Tab order then follows the page: Add, the views, then search.
    const order: string[] = [];
    for (let index = 0; index < 5; index++) {
      await page.keyboard.press("Tab");
      order.push(await focusedName());
    }
    expect(order).toEqual(["Add", "Today", "Upcoming", "All", "Completed"]);
  });

  test("focus is visible: a thick outline on the focused control", async () => {
    await page.getByLabel("Search", { exact: true }).focus();
    await page.keyboard.press("Tab");
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(outline.style).toBe("solid");
    expect(outline.width).toBeGreaterThanOrEqual(2);
  });

  test("toasts and the connection state are announced (aria-live)", async () => {
    expect(await page.locator('[role="status"][aria-live="polite"]', { hasText: "Live" }).count()).toBe(1);
    expect(await page.locator('.toasts[aria-live="polite"]').count()).toBe(1);
    expect(await page.locator('[role="log"][aria-live="polite"]').count()).toBe(1);
  });

  test("fits a 360 px wide phone without sideways scrolling, editor open", async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByRole("button", { name: "Edit Stand-up" }).click();
    await page.getByRole("form", { name: "Edit Stand-up" }).waitFor({ timeout: WAIT });
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    await page.keyboard.press("Escape");
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(widths).toEqual({ page: 360, viewport: 360 });
  });

  for (const scheme of ["light", "dark"] as const) {
    test(`text contrast is at least 4.5:1 (3:1 for large text) in the ${scheme} theme`, async () => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.getByRole("button", { name: "Edit Stand-up" }).click();
      const { checked, failures } = await page.evaluate(contrastFailures);
      await page.keyboard.press("Escape");
      expect(checked).toBeGreaterThan(40);
      expect(failures).toEqual([]);
    });
  }

  async function focusedName(): Promise<string> {
    return page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      const label = element instanceof HTMLInputElement ? element.labels?.[0]?.textContent : undefined;
      return (element?.getAttribute("aria-label") ?? label ?? element?.textContent ?? "").trim();
    });
  }
});

/** Runs in the page: every visible element with its own text, checked against its effective background (WCAG 2 formula). */
function contrastFailures(): { checked: number; failures: string[] } {
  const parse = (color: string): [number, number, number, number] => {
    const parts = color.match(/[\d.]+/g)!.map(Number);
    return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1];
  };
  const luminance = ([r, g, b]: number[]) => {
    const channel = (value: number) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r!) + 0.7152 * channel(g!) + 0.0722 * channel(b!);
  };
  const background = (element: Element | null): number[] => {
    for (let node = element; node; node = node.parentElement) {
      const color = parse(getComputedStyle(node).backgroundColor);
      if (color[3] > 0.5) return color;
    }
    return parse(getComputedStyle(document.documentElement).backgroundColor || "rgb(255,255,255)");
  };
  const failures: string[] = [];
  let checked = 0;
  for (const element of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
    const ownText = Array.from(element.childNodes).some((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim() !== "");
    if (!ownText || element.closest("[disabled], .visually-hidden, noscript") || element.offsetParent === null) continue;
    checked++;
    const style = getComputedStyle(element);
    const foreground = luminance(parse(style.color));
    const behind = luminance(background(element));
    const ratio = (Math.max(foreground, behind) + 0.05) / (Math.min(foreground, behind) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) failures.push(`${element.tagName.toLowerCase()}.${element.className} "${element.textContent!.trim().slice(0, 30)}": ${ratio.toFixed(2)}`);
  }
  return { checked, failures };
}
