import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "@todo/testkit";
import type { BrowserContext, Page } from "playwright-core";
import { signUpAndIn, skipBrowserTests, startBrowserSystem, type BrowserSystem } from "./harness/browser-system.ts";

/**
 * The board as a day planner (issue 17), in Chromium against `bun start`:
 * the first run, the views and their URL, filters behind one button, dates as
 * people read them, plain errors by the field, live frames applied without a
 * refetch, rollback and the offline queue, the keyboard, the phone layout and
 * a reminder's Done and Snooze. One user; tests run in order and build on
 * each other.
 */
setDefaultTimeout(90_000);
const ARTIFACTS = join(import.meta.dir, "../../test-artifacts");
const WAIT = 15_000;

interface ApiTask {
  id: string;
  title: string;
  status: string;
  remindAt: string | null;
  version: number;
}

describe.skipIf(skipBrowserTests)("the board as a day planner", () => {
  let sys: BrowserSystem;
  let session: { token: string; user: unknown };
  let desktop: BrowserContext;
  let page: Page;
  /** GET /api/tasks list requests the page made: live frames must make none. */
  let listFetches = 0;

  beforeAll(async () => {
    sys = await startBrowserSystem();
    session = await signUpAndIn(sys.url, "lin@example.com");
    desktop = await signedInContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
    await desktop.grantPermissions(["notifications"], { origin: sys.url });
    page = await desktop.newPage();
    page.on("request", (request) => {
      if (request.method() === "GET" && new URL(request.url()).pathname === "/api/tasks") listFetches++;
    });
  }, 90_000);

  afterAll(async () => {
    await sys?.close();
  });

  async function signedInContext(options: Parameters<BrowserSystem["browser"]["newContext"]>[0]): Promise<BrowserContext> {
    const context = await sys.browser.newContext(options);
    await context.addInitScript((stored) => {
      localStorage.setItem("todo.session", stored);
      // System notifications the board shows through its service worker, recorded (and still shown).
      const shown: { title: string; body?: string; actions: string[]; taskId?: string }[] = [];
      (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
      const show = ServiceWorkerRegistration.prototype.showNotification;
      ServiceWorkerRegistration.prototype.showNotification = function (title: string, options?: NotificationOptions) {
        const extra = options as NotificationOptions & { actions?: { action: string }[]; data?: { taskId?: string } };
        shown.push({ title, body: options?.body, actions: (extra?.actions ?? []).map((a) => a.action), taskId: extra?.data?.taskId });
        return show.call(this, title, options);
      };
    }, JSON.stringify(session));
    return context;
  }

  const api = async <T = ApiTask>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const headers: Record<string, string> = { authorization: `Bearer ${session.token}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${sys.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (response.status === 204 ? undefined : await response.json()) as T };
  };
  const create = async (fields: Record<string, unknown>) => {
    const created = await api("POST", "/api/tasks", fields);
    expect(created.status).toBe(201);
    return created.body;
  };
  /** An instant at a local wall-clock time in the page's zone, `days` from today. */
  const localAt = (on: Page, days: number, hour: number, minute = 0, yearOffset = 0) =>
    on.evaluate(
      ([d, h, m, y]) => {
        const now = new Date();
        return new Date(now.getFullYear() + y!, now.getMonth(), now.getDate() + d!, h!, m!).toISOString();
      },
      [days, hour, minute, yearOffset],
    );
  const item = (on: Page, title: string) => on.locator("li.task", { has: on.locator(".task-title", { hasText: new RegExp(`^${title}$`) }) });
  const titles = (on: Page) => on.locator("li.task .task-title").allTextContents();
  const waitUntil = (check: () => Promise<boolean>, what: string, timeoutMs = WAIT) => waitFor(check, { message: what, timeoutMs, intervalMs: 50 });
  const waitForTitles = async (on: Page, expected: string[]) => {
    let seen: string[] = [];
    await waitFor(
      async () => {
        seen = await titles(on);
        return JSON.stringify(seen) === JSON.stringify(expected);
      },
      { message: `titles ${expected.join(", ")}`, timeoutMs: WAIT, intervalMs: 50, describe: () => seen.join(", ") },
    );
  };
  const groupHeadings = (on: Page) => on.locator(".group-heading").allTextContents();
  const blur = (on: Page) => on.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const ids: Record<string, string> = {};

  test("a new account explains itself and offers three example phrases that go into quick add", async () => {
    await page.goto(sys.url);
    const empty = page.locator(".empty.first-run");
    await empty.waitFor({ timeout: WAIT });
    expect(await empty.textContent()).toContain("Type a task in one line");
    const examples = empty.getByRole("button");
    expect(await examples.count()).toBe(3);
    await examples.filter({ hasText: "Buy milk #shopping" }).click();
    const quickAdd = page.getByLabel("Quick add");
    expect(await quickAdd.inputValue()).toBe("Buy milk #shopping");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("quick-add-input");
    await page.locator("#quick-add-preview .chip", { hasText: "#shopping" }).waitFor({ timeout: WAIT });
    await quickAdd.press("Enter");
    // Undated, so not in Today: the toast says where it went, one click away.
    const toast = page.locator(".toast", { hasText: "Added “Buy milk” to All" });
    await toast.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/\?view=all$/);
    await waitForTitles(page, ["Buy milk"]);
  });

  test("views: Today holds the overdue, Upcoming is grouped by day; keys, links, reload and back keep them", async () => {
    const fetchesBefore = listFetches;
    ids.late = (await create({ title: "Late fee", dueAt: await localAt(page, -1, 10) })).id;
    ids.today = (await create({ title: "Stand-up", dueAt: await localAt(page, 0, 23, 58), priority: "high" })).id;
    ids.tomorrow = (await create({ title: "Dentist", dueAt: await localAt(page, 1, 9), tags: ["health"] })).id;
    ids.soon = (await create({ title: "Gym", dueAt: await localAt(page, 3, 18, 30) })).id;
    ids.nextYear = (await create({ title: "Renew passport", dueAt: await localAt(page, 0, 9, 0, 1) })).id;
    ids.done = (await create({ title: "Old chore" })).id;
    expect((await api("POST", `/api/tasks/${ids.done}/complete`)).status).toBe(200);
    // Everything arrives by the socket, in All (newest first).
    await waitForTitles(page, ["Renew passport", "Gym", "Dentist", "Stand-up", "Late fee", "Buy milk"]);
    expect(listFetches).toBe(fetchesBefore);

    await blur(page);
    await page.keyboard.press("t");
    await page.waitForURL((url) => url.search === "");
    expect(await groupHeadings(page)).toEqual(["Overdue", "Today"]);
    await waitForTitles(page, ["Late fee", "Stand-up"]);
    expect(await item(page, "Late fee").locator(".badge.due").textContent()).toBe("Overdue: Yesterday, 10:00 AM");

    await page.keyboard.press("u");
    await page.waitForURL(/\?view=upcoming$/);
    await waitForTitles(page, ["Dentist", "Gym", "Renew passport"]);
    const weekday = await page.evaluate(() => new Date(Date.now() + 3 * 86_400_000).toLocaleDateString("en-US", { weekday: "long" }));
    const headings = await groupHeadings(page);
    expect(headings.slice(0, 2)).toEqual(["Tomorrow", weekday]);
    expect(headings[2]).toContain(String(new Date().getFullYear() + 1));

    await page.getByRole("link", { name: "Completed", exact: true }).click();
    await waitForTitles(page, ["Old chore"]);
    expect(await item(page, "Old chore").getByRole("checkbox").isChecked()).toBe(true);
    await page.getByRole("link", { name: "#health" }).click();
    await page.waitForURL(/\?view=tag%3Ahealth$/);
    await waitForTitles(page, ["Dentist"]);

    // The back button walks the views back; a reload keeps the one shown.
    await page.goBack();
    await page.waitForURL(/\?view=completed$/);
    await waitForTitles(page, ["Old chore"]);
    await page.goBack();
    await page.waitForURL(/\?view=upcoming$/);
    await waitForTitles(page, ["Dentist", "Gym", "Renew passport"]);
    expect(await page.getByRole("link", { name: "Upcoming" }).getAttribute("aria-current")).toBe("page");
    await page.reload();
    await waitForTitles(page, ["Dentist", "Gym", "Renew passport"]);
  });

  test("live frames are applied as they come (upsert by version, deletes), with no refetch here or in the writing tab", async () => {
    await page.getByRole("link", { name: "All", exact: true }).click();
    await waitForTitles(page, ["Renew passport", "Gym", "Dentist", "Stand-up", "Late fee", "Buy milk"]);
    const fetchesBefore = listFetches;
    expect((await api("PATCH", `/api/tasks/${ids.soon}`, { title: "Gym class" })).status).toBe(200);
    await waitForTitles(page, ["Renew passport", "Gym class", "Dentist", "Stand-up", "Late fee", "Buy milk"]);
    const extra = await create({ title: "Throwaway" });
    await item(page, "Throwaway").waitFor({ timeout: WAIT });
    expect((await api("DELETE", `/api/tasks/${extra.id}`)).status).toBe(204);
    await waitForTitles(page, ["Renew passport", "Gym class", "Dentist", "Stand-up", "Late fee", "Buy milk"]);
    // The writing tab: its own quick add shows the answer, no list refetch either.
    await page.getByLabel("Quick add").fill("Water plants #home");
    await page.getByLabel("Quick add").press("Enter");
    await item(page, "Water plants").waitFor({ timeout: WAIT });
    expect(listFetches).toBe(fetchesBefore);
  });

  test("filters sit behind one Filter button, live in the URL and survive a reload; no matches offers to clear them", async () => {
    expect(await page.locator("#filter-priority").count()).toBe(0);
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    await page.getByLabel("Priority", { exact: true }).selectOption("high");
    await page.waitForURL(/priority=high/);
    await waitForTitles(page, ["Stand-up"]);
    await page.reload();
    await waitForTitles(page, ["Stand-up"]);
    expect(await page.getByRole("button", { name: /^Filter/ }).textContent()).toBe("Filter (1)");

    await page.getByLabel("Search", { exact: true }).fill("zebra");
    const noMatches = page.locator(".empty", { hasText: "No matches — clear filters" });
    await noMatches.waitFor({ timeout: WAIT });
    await page.waitForURL(/q=zebra/);
    await noMatches.getByRole("button", { name: "clear filters" }).click();
    await page.waitForURL(/\?view=all$/);
    await waitForTitles(page, ["Water plants", "Renew passport", "Gym class", "Dentist", "Stand-up", "Late fee", "Buy milk"]);
    expect(await page.getByLabel("Search", { exact: true }).inputValue()).toBe("");
  });

  test("dates read as people say them, in the browser's locale and clock, the same in badges and pickers", async () => {
    const year = new Date().getFullYear() + 1;
    expect(await item(page, "Dentist").locator(".badge.due").textContent()).toBe("Due Tomorrow, 9:00 AM");
    const weekday = await page.evaluate(() => new Date(Date.now() + 3 * 86_400_000).toLocaleDateString("en-US", { weekday: "long" }));
    expect(await item(page, "Gym class").locator(".badge.due").textContent()).toBe(`Due ${weekday}, 6:30 PM`);
    expect(await item(page, "Renew passport").locator(".badge.due").textContent()).toMatch(new RegExp(`^Due \\w{3}, \\w{3} \\d{1,2}, ${year}, 9:00 AM$`));
    // The editor's pickers say the same words as the badge.
    await page.getByRole("button", { name: "Edit Dentist" }).click();
    const editor = page.getByRole("form", { name: "Edit Dentist" });
    expect(await editor.locator(".picked").first().textContent()).toBe("Tomorrow, 9:00 AM");
    await editor.getByLabel("Due", { exact: true }).fill(await page.evaluate(() => {
      const date = new Date(Date.now() + 2 * 86_400_000);
      const pad = (n: number) => String(n).padStart(2, "0");
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T07:15`;
    }));
    const inTwoDays = await page.evaluate(() => new Date(Date.now() + 2 * 86_400_000).toLocaleDateString("en-US", { weekday: "long" }));
    expect(await editor.locator(".picked").first().textContent()).toBe(`${inTwoDays}, 7:15 AM`);
    await page.keyboard.press("Escape");

    // A British browser: 24-hour clock and its own date order.
    const british = await signedInContext({ viewport: { width: 1280, height: 800 }, locale: "en-GB" });
    const gb = await british.newPage();
    await gb.goto(`${sys.url}/?view=all`);
    await item(gb, "Dentist").waitFor({ timeout: WAIT });
    expect(await item(gb, "Dentist").locator(".badge.due").textContent()).toBe("Due Tomorrow, 09:00");
    expect(await item(gb, "Renew passport").locator(".badge.due").textContent()).toMatch(new RegExp(`^Due \\w{3}, \\d{1,2} \\w{3} ${year}, 09:00$`));
    await british.close();
  });

  test("a refused edit says why in plain words next to the field, keeps focus, and changes nothing", async () => {
    await page.getByRole("button", { name: "Edit Buy milk" }).click();
    const editor = page.getByRole("form", { name: "Edit Buy milk" });
    await editor.getByLabel("Reminder").fill(await page.evaluate(() => {
      const date = new Date(Date.now() - 86_400_000);
      const pad = (n: number) => String(n).padStart(2, "0");
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T08:00`;
    }));
    await editor.getByRole("button", { name: "Save" }).click();
    const reminderError = editor.locator(".field-error", { hasText: "The reminder time has already passed. Pick a time later than now." });
    await reminderError.waitFor({ timeout: WAIT });
    const reminder = editor.getByLabel("Reminder");
    expect(await reminder.getAttribute("aria-invalid")).toBe("true");
    expect(await reminder.getAttribute("aria-describedby")).toBe(await reminderError.getAttribute("id"));
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Save");
    expect((await editor.textContent()) ?? "").not.toContain("remindAt");

    // A repeat without a due date: the sentence sits under the repeat settings.
    await reminder.fill("");
    await editor.getByLabel("Repeats (needs a due date)").check();
    await editor.getByRole("button", { name: "Save" }).click();
    await editor.locator(".field-error", { hasText: "A repeating task needs a due date" }).waitFor({ timeout: WAIT });
    await page.keyboard.press("Escape");
    const onServer = await api("GET", `/api/tasks?status=all&q=milk`);
    expect((onServer.body as unknown as { items: ApiTask[] }).items.map((task) => [task.remindAt, task.version])).toEqual([[null, 1]]);
  });

  test("an optimistic change rolls back when the API refuses it", async () => {
    // The API's own refusal for a task deleted elsewhere, served at the network layer so the timing is certain.
    await page.route("**/api/tasks/*/complete", (route) =>
      route.fulfill({ status: 404, contentType: "application/json", body: JSON.stringify({ error: { code: "not_found", message: "task not found" } }) }),
    );
    await item(page, "Water plants").getByRole("checkbox").click();
    await page.locator(".toast.error", { hasText: "“Water plants” was not completed. This task no longer exists" }).waitFor({ timeout: WAIT });
    await item(page, "Water plants").waitFor({ timeout: WAIT });
    expect(await item(page, "Water plants").getByRole("checkbox").isChecked()).toBe(false);
    await page.unroute("**/api/tasks/*/complete");
  });

  test("offline is shown as offline; changes made then are kept, marked, and sent in order on reconnect", async () => {
    await sys.crash();
    await page.getByRole("status").filter({ hasText: "Offline, reconnecting" }).waitFor({ timeout: WAIT });
    await item(page, "Water plants").getByRole("checkbox").click();
    await page.locator(".toast.error", { hasText: "You're offline" }).first().waitFor({ timeout: WAIT });
    await item(page, "Buy milk").getByRole("checkbox").click();
    await page.getByRole("status").filter({ hasText: "2 changes not saved yet" }).waitFor({ timeout: WAIT });
    await page.getByRole("link", { name: "Completed", exact: true }).click();
    for (const title of ["Water plants", "Buy milk"]) await item(page, title).locator(".badge.unsaved", { hasText: "Not saved yet" }).waitFor({ timeout: WAIT });

    await sys.restart();
    await page.getByRole("status").filter({ hasText: /^Live$/ }).waitFor({ timeout: 30_000 });
    await waitUntil(async () => (await page.locator(".badge.unsaved").count()) === 0, "queued changes saved");
    const onServer = (await api<{ items: ApiTask[] }>("GET", "/api/tasks?status=completed&limit=50")).body.items.map((task) => task.title);
    expect(onServer).toEqual(expect.arrayContaining(["Water plants", "Buy milk"]));
    await waitForTitles(page, ["Buy milk", "Water plants", "Old chore"]);
  });

  test("the keyboard: a help overlay, q and / to type, j/k to move, e to edit, x to complete, # to delete with undo, t/u for views", async () => {
    await page.getByRole("link", { name: "All", exact: true }).click();
    await waitForTitles(page, ["Renew passport", "Gym class", "Dentist", "Stand-up", "Late fee"]);
    await blur(page);
    await page.keyboard.press("?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.waitFor({ timeout: WAIT });
    expect(await help.textContent()).toContain("Delete the task (with undo)");
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "hidden", timeout: WAIT });

    await page.keyboard.press("q");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("quick-add-input");
    await blur(page);
    await page.keyboard.press("/");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("filter-q");
    await blur(page);

    const focusedTask = () => page.evaluate(() => document.activeElement?.closest("li.task")?.querySelector(".task-title")?.textContent);
    await page.keyboard.press("j");
    expect(await focusedTask()).toBe("Renew passport");
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    expect(await focusedTask()).toBe("Dentist");
    await page.keyboard.press("k");
    expect(await focusedTask()).toBe("Gym class");
    await page.keyboard.press("e");
    await page.getByRole("form", { name: "Edit Gym class" }).waitFor({ timeout: WAIT });
    await page.keyboard.press("Escape");
    await waitUntil(async () => (await focusedTask()) === "Gym class", "focus back on the task");
    await page.keyboard.press("x");
    await page.locator(".toast", { hasText: "Completed “Gym class”" }).getByRole("button", { name: "Undo" }).click();
    await item(page, "Gym class").waitFor({ timeout: WAIT });
    for (let step = 0; step < 4; step++) await page.keyboard.press("j");
    expect(await focusedTask()).toBe("Stand-up");
    await page.keyboard.press("#");
    await waitForTitles(page, ["Renew passport", "Gym class", "Dentist", "Late fee"]);
    await page.locator(".toast", { hasText: "Deleted “Stand-up”" }).getByRole("button", { name: "Undo" }).click();
    await waitForTitles(page, ["Renew passport", "Gym class", "Dentist", "Stand-up", "Late fee"]);
    await blur(page);
    await page.keyboard.press("t");
    await page.waitForURL((url) => url.search === "");

    // From the top of the page, few Tab presses reach the first task.
    await page.goto(sys.url);
    await item(page, "Late fee").waitFor({ timeout: WAIT });
    let presses = 0;
    while (presses < 30 && !(await focusedTask())) {
      await page.keyboard.press("Tab");
      presses++;
    }
    expect(presses).toBeLessThanOrEqual(14);
  });

  test("a reminder offers Done and Snooze in the page and in the system notification; both go through the API", async () => {
    const stretch = await create({ title: "Stretch", remindAt: new Date(Date.now() + 2500).toISOString() });
    const toast = page.locator(".toast.reminder", { hasText: "Reminder: Stretch" });
    await toast.waitFor({ timeout: WAIT });
    expect(await toast.getByRole("button").allTextContents()).toEqual(["Done", "Snooze 10 min", "Snooze 1 hour", "Tomorrow morning", "×"]);
    await waitUntil(() => page.evaluate(() => (window as unknown as { shownNotifications: unknown[] }).shownNotifications.length > 0), "system notification");
    const shown = await page.evaluate(() => (window as unknown as { shownNotifications: unknown[] }).shownNotifications);
    expect(shown).toEqual([{ title: "Todo reminder", body: "Stretch", actions: ["done", "snooze"], taskId: stretch.id }]);
    // A real notification of the service worker's registration, not a page-level one.
    expect(await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).length)).toBeGreaterThan(0);

    const clicked = Date.now();
    await toast.getByRole("button", { name: "Snooze 10 min" }).click();
    await page.locator(".toast", { hasText: "Snoozed “Stretch”" }).waitFor({ timeout: WAIT });
    const snoozed = (await api("GET", `/api/tasks/${stretch.id}`)).body;
    expect(Date.parse(snoozed.remindAt!) - clicked).toBeGreaterThan(9 * 60_000);
    expect(Date.parse(snoozed.remindAt!) - clicked).toBeLessThan(11 * 60_000);

    const call = await create({ title: "Call the bank", remindAt: new Date(Date.now() + 2500).toISOString() });
    await page.locator(".toast.reminder", { hasText: "Reminder: Call the bank" }).getByRole("button", { name: "Done" }).click();
    await waitUntil(async () => (await api("GET", `/api/tasks/${call.id}`)).body.status === "completed", "Call the bank completed on the server");

    // The chat understands "snooze it": the reminder that just went off.
    const tea = await create({ title: "Make tea", remindAt: new Date(Date.now() + 2500).toISOString() });
    await page.locator(".toast.reminder", { hasText: "Reminder: Make tea" }).waitFor({ timeout: WAIT });
    const asked = Date.now();
    await page.getByLabel("Message to the assistant").fill("snooze it for an hour");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByRole("list", { name: "Actions taken" }).last().filter({ hasText: "Reminder set on “Make tea”" }).waitFor({ timeout: WAIT });
    const later = Date.parse((await api("GET", `/api/tasks/${tea.id}`)).body.remindAt!) - asked;
    expect(later).toBeGreaterThan(59 * 60_000);
    expect(later).toBeLessThan(61 * 60_000);
  });

  test("setting a first reminder asks for notifications with a sentence saying why", async () => {
    const fresh = await signedInContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
    const other = await fresh.newPage();
    await other.goto(`${sys.url}/?view=all`);
    await other.getByRole("button", { name: "Edit Dentist" }).click();
    const editor = other.getByRole("form", { name: "Edit Dentist" });
    expect(await editor.locator(".permission").count()).toBe(0);
    await editor.getByLabel("Reminder").fill("2031-01-01T09:00");
    const ask = editor.locator(".permission");
    await ask.waitFor({ timeout: WAIT });
    expect(await ask.textContent()).toContain("reaches you even when the board is in a background tab");
    expect(await ask.getByRole("button", { name: "Allow notifications" }).count()).toBe(1);
    await fresh.close();
  });

  test("on a phone: no jump on load, a bottom bar with the views and the chat as a sheet, 44 px targets, toasts clear of inputs", async () => {
    const phone = await signedInContext({ viewport: { width: 390, height: 844 }, locale: "en-US", hasTouch: true, isMobile: true });
    const mobile = await phone.newPage();
    await mobile.goto(`${sys.url}/?view=all`);
    await item(mobile, "Dentist").waitFor({ timeout: WAIT });
    await mobile.locator("#chat-panel").waitFor({ state: "attached", timeout: WAIT });
    await mobile.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await mobile.evaluate(() => window.scrollY)).toBe(0);

    const bar = mobile.locator(".views-main");
    const box = (await bar.boundingBox())!;
    expect(Math.round(box.y + box.height)).toBe(844);
    expect(await bar.locator("a, button").allTextContents()).toEqual(["Today", "Upcoming", "All", "Completed", "Chat"]);

    const small = await mobile.evaluate(() => {
      const failures: string[] = [];
      for (const element of Array.from(document.querySelectorAll<HTMLElement>("a, button, input, select, textarea"))) {
        const target = element.matches("input[type=checkbox], input[type=radio]") ? (element.closest("label") ?? element) : element;
        const rect = target.getBoundingClientRect();
        if (rect.width === 0 || element.closest(".visually-hidden, .skip-link, dialog:not([open])") || getComputedStyle(element).visibility === "hidden") continue;
        if (rect.height < 44 || rect.width < 44) failures.push(`${element.tagName} "${(element.textContent || element.getAttribute("aria-label") || "").trim()}" ${Math.round(rect.width)}x${Math.round(rect.height)}`);
      }
      return failures;
    });
    expect(small).toEqual([]);

    // The title opens the editor.
    await item(mobile, "Dentist").locator(".task-title").tap();
    await mobile.getByRole("form", { name: "Edit Dentist" }).waitFor({ timeout: WAIT });
    await mobile.keyboard.press("Escape");

    // A toast never covers an input: not quick add, not the chat sheet's.
    await item(mobile, "Late fee").getByRole("checkbox").tap();
    const toast = mobile.locator(".toast", { hasText: "Completed “Late fee”" });
    await toast.waitFor({ timeout: WAIT });
    const overlaps = async () =>
      mobile.evaluate(() => {
        const toasts = Array.from(document.querySelectorAll(".toast")).map((t) => t.getBoundingClientRect());
        // With the chat sheet open, only its inputs can be seen.
        const scope = document.querySelector(".chat.open") ?? document;
        const inputs = Array.from(scope.querySelectorAll<HTMLElement>("input:not([type=checkbox]), textarea"))
          .filter((input) => input.offsetParent !== null)
          .map((input) => [input.id, input.getBoundingClientRect()] as const);
        return inputs
          .filter(([, r]) => toasts.some((t) => t.left < r.right && r.left < t.right && t.top < r.bottom && r.top < t.bottom))
          .map(([id]) => id);
      });
    expect(await overlaps()).toEqual([]);
    await toast.getByRole("button", { name: "Undo" }).tap();

    await bar.getByRole("button", { name: "Chat" }).tap();
    const chatInput = mobile.getByLabel("Message to the assistant");
    await chatInput.waitFor({ timeout: WAIT });
    await waitUntil(async () => (await mobile.evaluate(() => document.activeElement?.id)) === "chat-input", "focus in the chat sheet's input");
    const sheet = (await mobile.locator("#chat-panel").boundingBox())!;
    expect([sheet.x, sheet.y, sheet.width, sheet.height].map(Math.round)).toEqual([0, 0, 390, 844]);
    await create({ title: "Drink water", remindAt: new Date(Date.now() + 2000).toISOString() });
    await mobile.locator(".toast.reminder", { hasText: "Reminder: Drink water" }).waitFor({ timeout: WAIT });
    expect(await overlaps()).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await mobile.screenshot({ path: join(ARTIFACTS, "planner-phone-chat.png") });
    await mobile.getByRole("button", { name: "Close" }).first().tap();
    await mobile.goto(`${sys.url}/?view=upcoming`);
    await item(mobile, "Dentist").waitFor({ timeout: WAIT });
    await mobile.screenshot({ path: join(ARTIFACTS, "planner-phone-upcoming.png") });
    await mobile.emulateMedia({ colorScheme: "dark" });
    await mobile.screenshot({ path: join(ARTIFACTS, "planner-phone-upcoming-dark.png") });
    await phone.close();
  });

  test("the calendar feed: a private link to copy, that calendar apps read, and a new one that retires it", async () => {
    await desktop.grantPermissions(["clipboard-read", "clipboard-write"], { origin: sys.url });
    await page.goto(`${sys.url}/?view=all`);
    await page.getByText("Calendar feed").click();
    await page.getByRole("button", { name: "Create link" }).click();
    const link = page.getByLabel("Your calendar link");
    const first = await link.inputValue();
    expect(first).toStartWith(`${sys.url}/api/calendar/feeds/`);
    await page.getByRole("button", { name: "Copy link" }).click();
    await page.locator(".calendar-feed [role=status]", { hasText: "Copied." }).waitFor({ timeout: WAIT });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);
    const feed = await fetch(first);
    expect(feed.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(await feed.text()).toContain("SUMMARY:Dentist");

    await page.getByRole("button", { name: "Make a new link" }).click();
    await page.locator(".calendar-feed [role=status]", { hasText: "The old one no longer works." }).waitFor({ timeout: WAIT });
    const second = await link.inputValue();
    expect(second).not.toBe(first);
    expect((await fetch(first)).status).toBe(404);
    expect((await fetch(second)).status).toBe(200);
  });

  test("screenshots of the views on the desktop in both themes", async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.goto(sys.url);
    await item(page, "Stand-up").waitFor({ timeout: WAIT });
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const png = await page.screenshot({ path: join(ARTIFACTS, `planner-today-${scheme}.png`) });
      expect(png.byteLength).toBeGreaterThan(10_000);
    }
    await page.getByRole("link", { name: "Upcoming" }).click();
    await item(page, "Dentist").waitFor({ timeout: WAIT });
    await page.screenshot({ path: join(ARTIFACTS, "planner-upcoming-dark.png") });
    await page.emulateMedia({ colorScheme: "light" });
    await page.screenshot({ path: join(ARTIFACTS, "planner-upcoming-light.png") });
  });
});
