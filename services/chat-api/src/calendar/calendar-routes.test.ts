import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import ICAL from "ical.js";
import { testDatabases } from "@todo/testkit/databases";
import { createHarness, type Harness } from "../tasks/api.fixture.ts";

/**
 * The secret calendar feed through the real createApp, parsed by ical.js
 * (Mozilla's iCalendar library, the parser of Thunderbird): what a calendar
 * app subscribing to the URL would read.
 */
describe.each(testDatabases())("calendar feed on $name", ({ open }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(open);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const fetchFeed = (path: string) => h.call<string>("GET", path);

  test("a user gets a secret URL whose feed has an event per open task with a due date, RRULE for series, VALARM for reminders", async () => {
    const { token } = await h.signup("cal");
    expect((await h.call("GET", "/api/calendar/feed", { token })).body).toEqual({ path: null });
    const long = "Ask about the invoice, the contract; and a long line that must fold: " + "ü".repeat(60);
    const rent = await h.createTask(token, { title: "Pay rent, on time", dueAt: "2030-04-01T09:00:00Z", remindAt: "2030-04-01T08:30:00Z", priority: "high", tags: ["home"] });
    const standup = await h.createTask(token, { title: "Stand-up", dueAt: "2030-03-04T09:30:00Z", recurrence: "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10", description: long });
    await h.createTask(token, { title: "Someday, no date" });
    const done = await h.createTask(token, { title: "Done already", dueAt: "2030-03-02T09:00:00Z" });
    expect((await h.call("POST", `/api/tasks/${done.id}/complete`, { token })).status).toBe(200);

    const created = await h.call<{ path: string }>("POST", "/api/calendar/feed", { token });
    expect(created.status).toBe(201);
    expect(created.body.path).toMatch(/^\/api\/calendar\/feeds\/[A-Za-z0-9_-]{43}\.ics$/);
    expect((await h.call("GET", "/api/calendar/feed", { token })).body).toEqual({ path: created.body.path });

    // No login: the secret is the credential.
    const feed = await fetchFeed(created.body.path);
    expect(feed.status).toBe(200);
    expect(feed.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(feed.body.split("\r\n").every((line) => new TextEncoder().encode(line).length <= 75)).toBe(true);

    const calendar = new ICAL.Component(ICAL.parse(feed.body));
    expect(calendar.getFirstPropertyValue("version")).toBe("2.0");
    const events = calendar.getAllSubcomponents("vevent").map((vevent) => new ICAL.Event(vevent));
    expect(events.map((event) => event.summary).sort()).toEqual(["Pay rent, on time", "Stand-up"]);

    const rentEvent = events.find((event) => event.summary === "Pay rent, on time")!;
    expect(rentEvent.uid).toBe(`${rent.id}@todo-event-driven`);
    expect(rentEvent.startDate.toJSDate().toISOString()).toBe("2030-04-01T09:00:00.000Z");
    const alarm = rentEvent.component.getFirstSubcomponent("valarm")!;
    expect((alarm.getFirstPropertyValue("trigger") as ICAL.Time).toJSDate().toISOString()).toBe("2030-04-01T08:30:00.000Z");
    expect(rentEvent.component.getFirstPropertyValue("categories")).toBe("home");

    const series = events.find((event) => event.summary === "Stand-up")!;
    expect(series.description).toBe(long);
    expect(series.isRecurring()).toBe(true);
    const iterator = series.iterator();
    const firstThree = [iterator.next(), iterator.next(), iterator.next()].map((time) => time!.toJSDate().toISOString());
    expect(firstThree).toEqual(["2030-03-04T09:30:00.000Z", "2030-03-06T09:30:00.000Z", "2030-03-11T09:30:00.000Z"]);
    expect(standup.id).toBeDefined();
  });

  test("rotating replaces the secret: the old URL is a 404, the new one works; nobody else's secret or a guess reads anything", async () => {
    const { token } = await h.signup("rot");
    await h.createTask(token, { title: "Mine", dueAt: "2030-05-01T09:00:00Z" });
    const first = (await h.call<{ path: string }>("POST", "/api/calendar/feed", { token })).body.path;
    const second = (await h.call<{ path: string }>("POST", "/api/calendar/feed", { token })).body.path;
    expect(second).not.toBe(first);
    expect((await fetchFeed(first)).status).toBe(404);
    expect((await fetchFeed(second)).status).toBe(200);
    for (const guess of ["/api/calendar/feeds/x.ics", `/api/calendar/feeds/${"A".repeat(43)}.ics`, second.replace(".ics", ""), "/api/calendar/feeds/%27%3B--.ics"]) {
      expect((await fetchFeed(guess)).status).toBe(404);
    }
    // Managing the feed needs the login.
    expect((await h.call("GET", "/api/calendar/feed")).status).toBe(401);
    expect((await h.call("POST", "/api/calendar/feed")).status).toBe(401);
  });
});
