import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "@todo/testkit";
import type { BrowserContext, Page } from "playwright-core";
import { skipBrowserTests, startBrowserSystem, type BrowserSystem } from "./harness/browser-system.ts";

/**
 * The site in Chromium against `bun start`, as a user would use it: sign up,
 * quick add, filter and search, edit with a recurrence, complete, a second
 * browser of the same user seeing it all live, the chat adding a task, and a
 * reminder 3 s ahead. One system for the whole file; tests run in order and
 * build on each other (one user's board).
 */
setDefaultTimeout(90_000);
const ARTIFACTS = join(import.meta.dir, "../../test-artifacts");
const EMAIL = "ada@example.com";
const PASSWORD = "correct horse battery";
/** Playwright's auto-waiting assertions poll until this deadline. */
const WAIT = 15_000;

describe.skipIf(skipBrowserTests)("the site in a browser", () => {
  let sys: BrowserSystem;
  let first: BrowserContext;
  let second: BrowserContext;
  let page: Page;
  let other: Page;

  beforeAll(async () => {
    sys = await startBrowserSystem();
    first = await sys.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
    // The notification permission is granted up front; the page's Notification calls are recorded (and still made).
    await first.grantPermissions(["notifications"], { origin: sys.url });
    await first.addInitScript(() => {
      const Real = window.Notification;
      const shown: { title: string; body?: string }[] = [];
      (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
      window.Notification = class extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push({ title, body: options?.body });
        }
      } as typeof Notification;
      // The board shows reminders through its service worker (for Done and Snooze buttons): record those too.
      const show = ServiceWorkerRegistration.prototype.showNotification;
      ServiceWorkerRegistration.prototype.showNotification = function (title: string, options?: NotificationOptions) {
        shown.push({ title, body: options?.body });
        return show.call(this, title, options);
      };
    });
    page = await first.newPage();
    second = await sys.browser.newContext({ viewport: { width: 390, height: 844 }, locale: "en-US" });
    other = await second.newPage();
  }, 90_000);

  afterAll(async () => {
    await sys?.close();
  });

  const item = (on: Page, title: string) => on.locator("li.task", { has: on.locator(".task-title", { hasText: new RegExp(`^${title}$`) }) });
  const titles = (on: Page) => on.locator("li.task .task-title").allTextContents();
  const waitUntil = (check: () => Promise<boolean>, what: string, timeoutMs = WAIT) =>
    waitFor(check, { message: what, timeoutMs, intervalMs: 50 });
  /** The REST API as the signed-in user of the first browser (its token from localStorage), for changes made "elsewhere". */
  const asUser = async (method: string, path: string, body?: unknown) => {
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem("todo.session")!).token as string);
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    return fetch(`${sys.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  };
  const waitForTitles = async (on: Page, expected: string[]) => {
    let seen: string[] = [];
    await waitFor(
      async () => {
        seen = await titles(on);
        return JSON.stringify([...seen].sort()) === JSON.stringify([...expected].sort());
      },
      { message: `titles ${expected.join(", ")}`, timeoutMs: WAIT, intervalMs: 50, describe: () => seen.join(", ") },
    );
  };

  test("signing up shows an empty board that is live", async () => {
    await page.goto(sys.url);
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Tasks", exact: true }).waitFor({ timeout: WAIT });
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: WAIT });
    await page.locator(".count", { hasText: /^0 tasks$/ }).waitFor({ timeout: WAIT });
    // The board opens on Today; these tests work in All (every open task, dated or not).
    await page.getByRole("link", { name: "All", exact: true }).click();
    await page.waitForURL(/\?view=all$/);
  });

  test("a second browser logs in as the same user", async () => {
    await other.goto(sys.url);
    await other.getByRole("button", { name: "Log in" }).click();
    await other.getByLabel("Email").fill(EMAIL);
    await other.getByLabel("Password").fill(PASSWORD);
    await other.getByRole("button", { name: "Log in" }).click();
    await other.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: WAIT });
    await other.getByRole("link", { name: "All", exact: true }).click();
  });

  test("quick add previews what the server read, and from which words, and creates exactly that", async () => {
    const quickAdd = page.getByLabel("Quick add");
    await quickAdd.fill("Pay rent tomorrow 9am #home !high");
    const preview = page.locator("#quick-add-preview .chip");
    await preview.filter({ hasText: "#home" }).waitFor({ timeout: WAIT });
    expect(await preview.allTextContents()).toEqual([
      expect.stringContaining("Pay rent"),
      expect.stringMatching(/Due .*09:00 tomorrow 9am$/),
      "Priority high !high",
      "Tags #home",
    ]);
    await quickAdd.press("Enter");
    const rent = item(page, "Pay rent");
    await rent.waitFor({ timeout: WAIT });
    expect(await rent.locator(".badge").allTextContents()).toEqual(["high", "Due Tomorrow, 09:00", "#home"]);
    expect(await quickAdd.inputValue()).toBe("");

    for (const line of ["Buy milk #shopping", "Write report !low"]) {
      await quickAdd.fill(line);
      await quickAdd.press("Enter");
      await waitUntil(async () => (await quickAdd.inputValue()) === "", `"${line}" added`);
    }
    await waitForTitles(page, ["Pay rent", "Buy milk", "Write report"]);
    // Everything reached the other browser without a reload.
    await waitForTitles(other, ["Pay rent", "Buy milk", "Write report"]);
  });

  test("filters by priority and tag, searches, and sorts", async () => {
    await page.getByRole("button", { name: "Filter" }).click();
    await page.getByLabel("Priority", { exact: true }).selectOption("high");
    await waitForTitles(page, ["Pay rent"]);
    await page.getByLabel("Priority", { exact: true }).selectOption("");
    await page.getByLabel("Tags", { exact: true }).fill("shopping");
    await page.getByLabel("Tags", { exact: true }).press("Tab");
    await waitForTitles(page, ["Buy milk"]);
    await page.getByLabel("Tags", { exact: true }).fill("");
    await page.getByLabel("Tags", { exact: true }).press("Tab");
    await page.getByLabel("Search").fill("report");
    await waitForTitles(page, ["Write report"]);
    await page.getByLabel("Search").fill("");
    await waitForTitles(page, ["Pay rent", "Buy milk", "Write report"]);
    await page.getByLabel("Sort by").selectOption("title");
    await waitUntil(async () => JSON.stringify(await titles(page)) === JSON.stringify(["Buy milk", "Pay rent", "Write report"]), "sorted by title");

    // Due range: tomorrow only (the pickers are local dates).
    const tomorrow = await page.evaluate(() => {
      const date = new Date();
      date.setDate(date.getDate() + 1);
      return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
    });
    await page.getByLabel("Due from").fill(tomorrow);
    await page.getByLabel("Due to").fill(tomorrow);
    await waitForTitles(page, ["Pay rent"]);
    await page.getByLabel("Due from").fill("");
    await page.getByLabel("Due to").fill("");
    await waitForTitles(page, ["Pay rent", "Buy milk", "Write report"]);

    // Overdue: a task due yesterday, made elsewhere, shows with an overdue badge.
    const late = await asUser("POST", "/api/tasks", { title: "Late fee", dueAt: new Date(Date.now() - 86_400_000).toISOString() });
    expect(late.status).toBe(201);
    await page.getByLabel("Overdue only").check();
    await waitForTitles(page, ["Late fee"]);
    expect(await item(page, "Late fee").locator(".badge.due").textContent()).toStartWith("Overdue: ");
    await page.getByLabel("Overdue only").uncheck();
    await page.getByLabel("Sort by").selectOption("");
    await page.getByRole("button", { name: /^Filter/ }).click();
    expect((await asUser("DELETE", `/api/tasks/${((await late.json()) as { id: string }).id}`)).status).toBe(204);
    await waitForTitles(page, ["Pay rent", "Buy milk", "Write report"]);
  });

  test("inline edit sets a title, a due date and a weekly recurrence; the badge shows it everywhere", async () => {
    await page.getByRole("button", { name: "Edit Write report" }).click();
    const editor = page.getByRole("form", { name: "Edit Write report" });
    // The editor opens on the task as it is.
    expect(await editor.getByLabel("Priority").inputValue()).toBe("low");
    expect(await editor.getByLabel("Title").inputValue()).toBe("Write report");
    await editor.getByLabel("Title").fill("Write the report");
    await editor.getByLabel("Due", { exact: true }).fill("2030-01-07T10:00");
    await editor.getByLabel("Repeats (needs a due date)").check();
    await editor.getByLabel("Frequency").selectOption("WEEKLY");
    await editor.getByLabel("Mon").check();
    await editor.getByLabel("Wed").check();
    await editor.getByLabel("After").check();
    await editor.getByLabel("Number of times").fill("5");
    await editor.getByRole("button", { name: "Save" }).click();

    const badge = item(page, "Write the report").locator(".badge.recurring");
    await badge.waitFor({ timeout: WAIT });
    expect(await badge.textContent()).toBe("↻ Every week on Mon, Wed, 5 times");
    await item(other, "Write the report").locator(".badge.recurring").waitFor({ timeout: WAIT });
    // Focus returns to the task's Edit button.
    await waitUntil(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label") === "Edit Write the report"), "focus back on Edit");
  });

  test("completing a recurring task brings its next occurrence (from the recurring service) to both boards", async () => {
    await item(page, "Write the report").getByRole("checkbox", { name: "Complete Write the report" }).click(); // Not check(): the row leaves the view at once.
    // Due Mon 7 Jan 2030, weekly on Mon and Wed: the next one is Wednesday the 9th, at the same time.
    for (const on of [page, other]) {
      await item(on, "Write the report").locator(".badge.due", { hasText: on === page ? "Wed, 9 Jan 2030, 10:00" : "Wed, Jan 9, 2030, 10:00 AM" }).waitFor({ timeout: WAIT });
    }
    await waitForTitles(page, ["Pay rent", "Buy milk", "Write the report"]);
  });

  test("completing a task moves it to Done here and in the other browser, with undo", async () => {
    await item(page, "Buy milk").getByRole("checkbox", { name: "Complete Buy milk" }).click();
    await waitForTitles(page, ["Pay rent", "Write the report"]);
    await waitForTitles(other, ["Pay rent", "Write the report"]);
    await page.locator(".toast", { hasText: "Completed “Buy milk”" }).getByRole("button", { name: "Undo" }).click();
    await waitForTitles(other, ["Pay rent", "Buy milk", "Write the report"]);
    await item(page, "Buy milk").getByRole("checkbox", { name: "Complete Buy milk" }).click();
    await waitForTitles(other, ["Pay rent", "Write the report"]);

    await page.getByRole("link", { name: "Completed", exact: true }).click();
    await waitForTitles(page, ["Buy milk", "Write the report"]);
    expect(await item(page, "Buy milk").getByRole("checkbox").isChecked()).toBe(true);
    await page.getByRole("link", { name: "All", exact: true }).click();
    await waitForTitles(page, ["Pay rent", "Write the report"]);
  });

  test("the chat adds a task that appears on both boards", async () => {
    await page.getByLabel("Message to the assistant").fill("add call mom tomorrow at 6pm #family");
    await page.getByRole("button", { name: "Send" }).click();
    const actions = page.getByRole("list", { name: "Actions taken" });
    await actions.waitFor({ timeout: WAIT });
    expect(await actions.textContent()).toBe("Added “call mom”");
    await item(page, "call mom").waitFor({ timeout: WAIT });
    await item(other, "call mom").waitFor({ timeout: WAIT });
  });

  test("deleting hides the task with an undo, then deletes it everywhere", async () => {
    await page.getByRole("button", { name: "Delete call mom" }).click();
    await waitForTitles(page, ["Pay rent", "Write the report"]);
    await page.locator(".toast", { hasText: "Deleted “call mom”" }).getByRole("button", { name: "Undo" }).click();
    await item(page, "call mom").waitFor({ timeout: WAIT });
    await page.getByRole("button", { name: "Delete call mom" }).click();
    // The delete lands when the undo window closes (6 s); then the other browser drops it too.
    await waitUntil(async () => !(await titles(other)).includes("call mom"), "call mom deleted in the other browser", 6000 + WAIT);
  });

  test("a reminder 3 s ahead shows a toast and a browser notification", async () => {
    const response = await asUser("POST", "/api/tasks", { title: "Stretch", remindAt: new Date(Date.now() + 3000).toISOString() });
    expect(response.status).toBe(201);
    await page.locator(".toast.reminder", { hasText: "Reminder: Stretch" }).waitFor({ timeout: 15_000 });
    await waitUntil(() => page.evaluate(() => (window as unknown as { shownNotifications: unknown[] }).shownNotifications.length > 0), "the system notification");
    const shown = await page.evaluate(() => (window as unknown as { shownNotifications: { title: string; body?: string }[] }).shownNotifications);
    expect(shown).toEqual([{ title: "Todo reminder", body: "Stretch" }]);
    // The other browser has no permission: a toast only.
    await other.locator(".toast.reminder", { hasText: "Reminder: Stretch" }).waitFor({ timeout: WAIT });
  });

  test("when the server goes away the page says so, reconnects by itself and resumes after its last event", async () => {
    const sockets: string[] = [];
    page.on("websocket", (socket) => void sockets.push(socket.url()));
    await sys.crash();
    await page.getByRole("status").filter({ hasText: "Offline, reconnecting" }).waitFor({ timeout: WAIT });
    await sys.restart();
    // Made right after the restart, while the page may still be waiting to reconnect: replayed or pushed live.
    const created = await asUser("POST", "/api/tasks", { title: "Back online" });
    expect(created.status).toBe(201);
    // Reconnect backoff tops out at 15 s (a few attempts fail while the system restarts).
    await item(page, "Back online").waitFor({ timeout: 30_000 });
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: WAIT });
    expect(sockets.length).toBeGreaterThan(0);
    expect(sockets.every((url) => /[?&]after=[^&]+/.test(url))).toBe(true);
  });

  test("signing out shows the sign-in form and forgets the session", async () => {
    await other.getByRole("button", { name: "Sign out" }).click();
    // This browser logged in before, so the form is still on "Log in".
    await other.getByRole("heading", { name: "Log in" }).waitFor({ timeout: WAIT });
    expect(await other.locator("li.task").count()).toBe(0);
    expect(await other.evaluate(() => localStorage.getItem("todo.session"))).toBeNull();
    await other.reload();
    await other.getByRole("heading", { name: "Create your account" }).waitFor({ timeout: WAIT });
  });

  test("the board, as a screenshot artifact", async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const png = await page.screenshot({ path: join(ARTIFACTS, "board.png"), fullPage: true });
    expect(png.byteLength).toBeGreaterThan(10_000);
    await other.screenshot({ path: join(ARTIFACTS, "board-phone.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: join(ARTIFACTS, "board-dark.png"), fullPage: true });
  });
});
