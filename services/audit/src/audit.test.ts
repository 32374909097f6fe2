import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { TASK_CREATED, TASK_UPDATED, type TypedEvent } from "@todo/common";
import type { Database } from "@todo/common/db";
import { testDatabases } from "@todo/testkit/databases";
import {
  ADMIN_TOKEN,
  auditApp,
  auditPage,
  deliver,
  get,
  newTaskId,
  newUserId,
  recurrenceGenerated,
  reminderScheduled,
  taskCreated,
  taskUpdated,
  userToken,
  type AuditApp,
} from "./audit.fixture.ts";

const errorCode = (body: unknown) => (body as { error?: { code?: string } }).error?.code;

describe.each(testDatabases())("audit on $name", ({ open }) => {
  // One database for the file: every test writes events of its own fresh users (the gap report gets its own).
  let db: Database;
  let app: AuditApp;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    ({ app } = await auditApp(db));
  });

  const deliverAll = async (topic: string, events: TypedEvent[]) => {
    for (const event of events) expect(await deliver(app, topic, event)).toBe("SUCCESS");
  };

  describe("recording", () => {
    test("an event is recorded once, however often it is redelivered", async () => {
      const userId = newUserId();
      const event = taskCreated(userId);
      await deliverAll("task-events", [event, event]);
      expect((await auditPage(app, userId)).items.map((item) => item.eventId)).toEqual([event.id]);
    });

    test("an event is recorded once even when the idempotency records are gone", async () => {
      const userId = newUserId();
      const event = taskCreated(userId);
      await deliverAll("task-events", [event]);
      // A second replica, or the state store after the records' TTL: nothing says the event was processed.
      const { app: forgetful } = await auditApp(db);
      expect(await deliver(forgetful, "task-events", event)).toBe("SUCCESS");
      expect((await auditPage(app, userId)).items).toHaveLength(1);
    });

    test("events of all three topics are recorded with their topic, type, task and user", async () => {
      const userId = newUserId();
      const created = taskCreated(userId);
      const scheduled = reminderScheduled(userId);
      const generated = recurrenceGenerated(userId);
      await deliverAll("task-events", [created]);
      await deliverAll("reminder-events", [scheduled]);
      await deliverAll("recurring-events", [generated]);

      const { items, next } = await auditPage(app, userId);
      expect(next).toBeNull();
      expect(items.map(({ eventId, type, topic, taskId, userId }) => ({ eventId, type, topic, taskId, userId }))).toEqual([
        { eventId: created.id, type: created.type, topic: "task-events", taskId: created.data.task.id, userId },
        { eventId: scheduled.id, type: scheduled.type, topic: "reminder-events", taskId: scheduled.data.taskId, userId },
        { eventId: generated.id, type: generated.type, topic: "recurring-events", taskId: generated.data.task.id, userId },
      ]);
      // The event as published: what the outbox holds, not the delivery's extra attributes.
      expect(items[0]?.event).toEqual(JSON.parse(JSON.stringify(created.toJSON())));
      expect(items[0]?.time).toBe(new Date(created.time ?? "").toISOString());
      expect(Date.parse(items[0]?.recordedAt ?? "")).not.toBeNaN();
    });

    test("a delivery is not acknowledged while the database cannot record it", async () => {
      const refused = () => Promise.reject(new Error("connection refused"));
      const failing: Database = { ...db, query: refused, transaction: refused };
      const { app: broken } = await auditApp(failing);
      const event = taskCreated(newUserId());
      expect(await deliver(broken, "task-events", event)).toBe("RETRY");
      expect(await deliver(app, "task-events", event)).toBe("SUCCESS");
    });

    test("readiness reports the database with its audit table", async () => {
      expect((await get(app, "/readyz")).status).toBe(200);
      const failing: Database = { ...db, query: () => Promise.reject(new Error("relation audit_entries does not exist")) };
      const { app: unready } = await auditApp(failing);
      expect((await get(unready, "/readyz")).status).toBe(503);
    });
  });

  test("a validly signed token of an account that does not exist reads nothing", async () => {
    const ghost = newUserId();
    await deliverAll("task-events", [taskCreated(ghost)]);
    const { app: checking } = await auditApp(db, { accountExists: async (userId) => userId !== ghost });
    const token = `Bearer ${await userToken(ghost)}`;
    for (const path of ["/api/audit", "/api/audit/verify/mine"]) expect((await get(checking, path, token)).status).toBe(401);
    const { app: unreachable } = await auditApp(db, { accountExists: () => Promise.reject(new Error("chat-api down")) });
    expect((await get(unreachable, "/api/audit", token)).status).toBe(503);
  });

  describe("GET /api/audit", () => {
    test("a user sees only their own events, and another user's event id is an unknown cursor", async () => {
      const ada = newUserId();
      const bob = newUserId();
      const adas = taskCreated(ada);
      const bobs = taskCreated(bob);
      await deliverAll("task-events", [adas, bobs]);

      expect((await auditPage(app, ada)).items.map((item) => item.eventId)).toEqual([adas.id]);
      expect((await auditPage(app, bob)).items.map((item) => item.eventId)).toEqual([bobs.id]);
      expect((await auditPage(app, ada, `?taskId=${bobs.data.task.id}`)).items).toEqual([]);
      const probe = await get(app, `/api/audit?after=${bobs.id}`, `Bearer ${await userToken(ada)}`);
      expect(probe.status).toBe(400);
      expect(errorCode(probe.body)).toBe("invalid_cursor");
    });

    test("taskId and type narrow the trail", async () => {
      const userId = newUserId();
      const first = taskCreated(userId);
      const taskId = first.data.task.id;
      const second = taskUpdated(userId, taskId, 2);
      const other = taskCreated(userId);
      await deliverAll("task-events", [first, other, second]);

      const ids = async (query: string) => (await auditPage(app, userId, query)).items.map((item) => item.eventId);
      expect(await ids(`?taskId=${taskId}`)).toEqual([first.id, second.id]);
      expect(await ids(`?type=${TASK_CREATED}`)).toEqual([first.id, other.id]);
      expect(await ids(`?taskId=${taskId}&type=${TASK_UPDATED}`)).toEqual([second.id]);
    });

    test("pages follow `next` through the trail in recorded order, and the last page's next is null", async () => {
      const userId = newUserId();
      const taskId = newTaskId();
      const events = [taskCreated(userId, taskId), ...[2, 3, 4, 5].map((version) => taskUpdated(userId, taskId, version))];
      await deliverAll("task-events", events);

      const pages: string[][] = [];
      let query = "?limit=2";
      for (;;) {
        const page = await auditPage(app, userId, query);
        pages.push(page.items.map((item) => item.eventId));
        if (page.next === null) break;
        expect(page.next).toBe(page.items.at(-1)?.eventId ?? "");
        query = `?limit=2&after=${page.next}`;
      }
      expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
      expect(pages.flat()).toEqual(events.map((event) => event.id));
      // A full last page: nothing follows, so next is null rather than a cursor to an empty page.
      expect((await auditPage(app, userId, `?after=${events[0]?.id}&limit=4`)).next).toBeNull();
      expect((await auditPage(app, userId, `?after=${events[4]?.id}`)).items).toEqual([]);
    });

    test("without a valid bearer token it answers 401, before looking at the parameters", async () => {
      for (const authorization of [undefined, "Bearer not-a-token"]) {
        const response = await get(app, "/api/audit?limit=0&bogus=1", authorization);
        expect(response.status).toBe(401);
        expect(errorCode(response.body)).toBe("unauthorized");
      }
      // The admin token is not a user token.
      expect((await get(app, "/api/audit", `Bearer ${ADMIN_TOKEN}`)).status).toBe(401);
    });

    test.each([
      ["limit=0"],
      ["limit=501"],
      ["limit=ten"],
      ["taskId=not-a-uuid"],
      ["type=todo.task.renamed.v1"],
      ["type=todo.sync.reset.v1"],
      ["after="],
      [`after=${crypto.randomUUID()}`],
      ["task=0190f3a0-0000-7000-8000-000000000001"],
    ])("?%s is a 400 with the error shape", async (query) => {
      const response = await get(app, `/api/audit?${query}`, `Bearer ${await userToken(newUserId())}`);
      expect(response.status).toBe(400);
      expect(errorCode(response.body)).toMatch(/^invalid_/);
    });

    test("limit accepts 1 and 500", async () => {
      const userId = newUserId();
      await deliverAll("task-events", [taskCreated(userId), taskCreated(userId)]);
      expect((await auditPage(app, userId, "?limit=1")).items).toHaveLength(1);
      expect((await auditPage(app, userId, "?limit=500")).items).toHaveLength(2);
    });
  });

  describe("GET /api/audit/gaps", () => {
    const admin = `Bearer ${ADMIN_TOKEN}`;
    // The report covers the whole outbox: each test starts from an empty database.
    let gapsDb: Database;
    let gapsApp: AuditApp;
    beforeEach(async () => {
      gapsDb = await open();
      ({ app: gapsApp } = await auditApp(gapsDb));
    });
    afterEach(async () => {
      await gapsDb.close();
    });

    /** An outbox row as chat-api's relay leaves it. */
    const commit = async (event: TypedEvent, published: "long ago" | "just now" | "not yet") => {
      const publishedAt = { "long ago": "now() - interval '1 minute'", "just now": "now()", "not yet": "NULL" }[published];
      await gapsDb.query(
        `INSERT INTO outbox (event_id, topic, partition_key, event, published_at) VALUES ($1, 'task-events', $2, $3, ${publishedAt})`,
        [event.id, event.subject, event.toJSON()],
      );
    };
    const audit = async (event: TypedEvent) => expect(await deliver(gapsApp, "task-events", event)).toBe("SUCCESS");
    const gaps = (query = "", authorization = admin) => get(gapsApp, `/api/audit/gaps${query}`, authorization);

    test("a published event missing from the trail is reported until it is recorded", async () => {
      const audited = taskCreated(newUserId());
      const lost = taskCreated(newUserId());
      await commit(audited, "long ago");
      await commit(lost, "long ago");
      await audit(audited);

      const before = await gaps();
      expect(before.status).toBe(200);
      expect(before.body).toEqual({
        missing: [{ eventId: lost.id, type: TASK_CREATED, topic: "task-events", createdAt: expect.any(String) }],
        checked: 2,
      });

      await audit(lost);
      expect((await gaps()).body).toEqual({ missing: [], checked: 2 });
    });

    test("rows published within the grace period are checked only with graceSeconds=0; unpublished rows never", async () => {
      const inFlight = taskCreated(newUserId());
      await commit(inFlight, "just now");
      await commit(taskCreated(newUserId()), "not yet");

      expect((await gaps()).body).toEqual({ missing: [], checked: 0 });
      expect((await gaps("?graceSeconds=0")).body).toMatchObject({ missing: [{ eventId: inFlight.id }], checked: 1 });
    });

    test("it needs the admin token: a user token, a wrong token or none answer 401", async () => {
      for (const authorization of ["", `Bearer ${await userToken(newUserId())}`, `Bearer ${ADMIN_TOKEN}x`]) {
        const response = await gaps("?graceSeconds=-1", authorization);
        expect(response.status).toBe(401);
        expect(errorCode(response.body)).toBe("unauthorized");
      }
      expect((await gaps("?graceSeconds=-1")).status).toBe(400);
      expect((await gaps("?grace=1")).status).toBe(400);
    });

    test("the admin token is read from the secret store, and its absence answers 503 until it appears", async () => {
      const { app: fromStore, secrets } = await auditApp(gapsDb, { adminToken: undefined });
      expect((await get(fromStore, "/api/audit/gaps", admin)).status).toBe(503);
      secrets["admin-token"] = ADMIN_TOKEN;
      expect((await get(fromStore, "/api/audit/gaps", admin)).status).toBe(200);
    });
  });
});
