import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Task } from "@todo/common";
import fc from "fast-check";
import { testDatabases } from "@todo/testkit/databases";
import { APP_TOKEN, createHarness, type Harness } from "./tasks/api.fixture.ts";

/**
 * Random bodies, query strings, ids and headers at every task route (and the
 * internal occurrence route) of the real app: the answer is always a 2xx or
 * a 4xx, never a 5xx, and a 4xx leaves the database exactly as it was (no
 * half-written task, no stray outbox row). Inputs are mostly "almost right"
 * (the right fields with odd values) so they get past the schema into the
 * task rules and the SQL, mixed with plain garbage.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

const printable = (value: string) => /^[\x20-\x7e]*$/.test(value);

const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: "binary-ascii", maxLength: 30 }),
  fc.constantFrom("", "   ", "a\u0000b", "broken \ud800", "\udc00", "🎉".repeat(101), "x".repeat(201), "d".repeat(4001), "Pay rent"),
);

const isoWithOffset = fc
  .tuple(
    fc.date({ min: new Date("1850-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }),
    fc.constantFrom("Z", "+00:00", "+05:30", "-23:59", "+14:00"),
  )
  .map(([date, offset]) => date.toISOString().replace("Z", offset));

const dateTime = fc.oneof(
  isoWithOffset,
  fc.constantFrom(
    "2031-01-01T09:00:00Z",
    "2030-02-30T09:00:00Z",
    "2030-04-01T09:00:00",
    "2030-06-30T23:59:60Z",
    "9999-12-31T23:59:59-23:59",
    "1900-01-01T00:00:00+01:00",
    "0000-01-01T00:00:00Z",
    "2030-04-01T09:00:00.1234567891Z",
    "tomorrow",
  ),
  text,
  fc.constant(null),
);

const rulePart = fc.constantFrom(
  "FREQ=DAILY",
  "FREQ=WEEKLY",
  "FREQ=SECONDLY",
  "FREQ=monthly",
  "COUNT=3",
  "COUNT=0",
  "COUNT=x",
  "UNTIL=20301231",
  "UNTIL=20300230T000000Z",
  "INTERVAL=0",
  "INTERVAL=9999",
  "BYDAY=MO,+1TU,-53FR",
  "BYDAY=XX",
  "BYMONTHDAY=-31",
  "BYMONTHDAY=40",
  "BYSETPOS=1",
  "WKST=SU",
  "FOO=1",
  "DTSTART=20300101",
  "",
  "=",
);
const recurrence = fc.oneof(
  fc.array(rulePart, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(";")),
  fc.array(rulePart, { minLength: 1, maxLength: 3 }).map((parts) => `RRULE:${parts.join(";")}`),
  text,
  fc.constant(null),
);

const tag = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_ -]{0,34}$/), text);
const priority = fc.oneof(fc.constantFrom("high", "medium", "low", "none"), text);
const anyJson = fc.jsonValue({ maxDepth: 2 });

const futureInstant = fc
  .date({ min: new Date("2030-03-02T00:00:00Z"), max: new Date("2040-01-01T00:00:00Z"), noInvalidDate: true })
  .map((date) => date.toISOString());

/** A body the API accepts (mostly): the baseline the odd values are mixed into. */
const plausibleBody = fc.record(
  {
    title: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,20}$/),
    description: fc.string({ maxLength: 40 }),
    priority: fc.constantFrom("high", "medium", "low", "none"),
    tags: fc.array(fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,8}$/), { maxLength: 5 }),
    dueAt: fc.option(futureInstant),
    remindAt: fc.option(futureInstant),
    recurrence: fc.constantFrom(null, "FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO;COUNT=10"),
  },
  { requiredKeys: ["title"] },
);

/** Any field (or one the API does not know) with an odd value of any type. */
const oddField = fc.oneof(
  fc.tuple(fc.constant("title"), fc.oneof(text, anyJson)),
  fc.tuple(fc.constant("description"), fc.oneof(text, anyJson)),
  fc.tuple(fc.constant("priority"), fc.oneof(priority, anyJson)),
  fc.tuple(fc.constant("tags"), fc.oneof(fc.array(tag, { maxLength: 25 }), anyJson)),
  fc.tuple(fc.constant("dueAt"), dateTime),
  fc.tuple(fc.constant("remindAt"), dateTime),
  fc.tuple(fc.constant("recurrence"), recurrence),
  fc.tuple(fc.constantFrom("status", "version", "id", "colour", "__proto__", "constructor"), anyJson),
);

/** Plausible bodies with up to three odd fields: most reach the task rules and the SQL, many pass. */
const taskBody = fc
  .tuple(plausibleBody, fc.oneof(fc.constant([]), fc.array(oddField, { minLength: 1, maxLength: 3 })))
  .map(([body, odd]) => {
    const mixed: Record<string, unknown> = { ...body };
    for (const [key, value] of odd) Object.defineProperty(mixed, key, { value, enumerable: true, configurable: true, writable: true });
    return mixed;
  });

const occurrenceBody = fc
  .tuple(taskBody, fc.record({ userId: fc.oneof(fc.uuid(), text), occurrence: fc.oneof(fc.integer({ min: -2, max: 5 }), anyJson) }, { requiredKeys: [] }))
  .map(([task, slot]) => ({ ...task, ...slot }));

/** What goes on the wire: usually JSON, sometimes not. */
const rawBody = (json: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 6, arbitrary: json.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: anyJson.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.constantFrom("", "{", "null", "[]", '{"title":', "\u0000") },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

const queryValue = fc.oneof(
  fc.constantFrom("pending", "completed", "all", "high", "none", "due", "priority", "title", "created", "updated", "asc", "desc"),
  fc.constantFrom("true", "false", "0", "1", "50", "200", "201", "-1", "2.5", "1e3", "home", "HOME", "two words"),
  isoWithOffset,
  text.filter((value) => !/[\ud800-\udfff]/.test(value)),
);
const queryKey = fc.constantFrom(
  "status",
  "priority",
  "tag",
  "q",
  "dueBefore",
  "dueAfter",
  "overdue",
  "sort",
  "order",
  "limit",
  "cursor",
  "sortBy",
  "",
);
/** Valid parameters with valid values: these reach the SQL. */
const plausibleQuery = fc
  .record(
    {
      status: fc.constantFrom("pending", "completed", "all"),
      priority: fc.constantFrom("high", "medium", "low", "none"),
      tag: fc.array(fc.constantFrom("home", "HOME", "work", "x_1"), { maxLength: 3 }),
      q: fc.oneof(fc.constantFrom("rent", "plain & done", '"pay rent" -bob', "or", "!", "'", ":*", "\\"), fc.string({ maxLength: 15 })),
      dueBefore: isoWithOffset,
      dueAfter: isoWithOffset,
      overdue: fc.constantFrom("true", "false"),
      sort: fc.constantFrom("due", "priority", "title", "created", "updated"),
      order: fc.constantFrom("asc", "desc"),
      limit: fc.integer({ min: 1, max: 200 }).map(String),
    },
    { requiredKeys: [] },
  )
  .map(({ tag, ...single }) => {
    const params = new URLSearchParams(single);
    for (const value of tag ?? []) params.append("tag", value);
    return params.toString();
  });

const queryString = fc.oneof(
  { weight: 4, arbitrary: plausibleQuery },
  { weight: 2, arbitrary: fc.array(fc.tuple(queryKey, queryValue), { maxLength: 6 }).map((pairs) => new URLSearchParams(pairs).toString()) },
  // Raw text: broken percent-encoding, stray separators.
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9%&=+._~,;:'"-]{0,40}$/) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("limit=%", "q=%E0%A4%A", "tag=%zz", "q=%00", "cursor=%FF%FE", "tag[]=a&tag[1]=b", "limit=5&limit=6"),
  },
);

const headerValue = fc.oneof(fc.string({ maxLength: 20 }).filter(printable), fc.constantFrom('"1"', '"2"', "1", "*", 'W/"1"', "", "999999999999"));

/** Which task a request names: one of Alice's live tasks (picked when the request is sent), Bob's, or no task at all. */
type IdChoice = { live: number } | { bob: true } | { literal: string };

describe.each(testDatabases())("random requests on $name", ({ open }) => {
  let h: Harness;
  let alice: { token: string; userId: string };
  let bob: { token: string; userId: string };
  let anchorId: string;
  let bobsTaskId: string;

  beforeAll(async () => {
    h = await createHarness(open);
    alice = await h.signup("alice");
    bob = await h.signup("bob");
    const soon = new Date(h.clock.now().getTime() + 86_400_000).toISOString();
    const anchor = await h.createTask(alice.token, { title: "Rent", dueAt: soon, remindAt: soon, recurrence: "FREQ=MONTHLY", tags: ["home"] });
    anchorId = anchor.id;
    for (let i = 0; i < 8; i++) await h.createTask(alice.token, { title: `Task ${i}`, tags: i % 2 ? ["home"] : [], remindAt: i % 3 ? null : soon });
    const bobs: Task = await h.createTask(bob.token, { title: "Bob's" });
    bobsTaskId = bobs.id;
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const authorization = () =>
    fc.oneof(
      { weight: 8, arbitrary: fc.constant(`Bearer ${alice.token}`) },
      { weight: 1, arbitrary: fc.constant(`Bearer ${bob.token}`) },
      { weight: 1, arbitrary: fc.constantFrom(undefined, "Bearer", `Bearer ${alice.token}x`, "Basic abc") },
    );
  const idChoice: fc.Arbitrary<IdChoice> = fc.oneof(
    { weight: 6, arbitrary: fc.nat().map((live) => ({ live })) },
    { weight: 1, arbitrary: fc.constant({ bob: true as const }) },
    { weight: 1, arbitrary: fc.uuid().map((literal) => ({ literal })) },
    { weight: 1, arbitrary: fc.constantFrom("not-a-uuid", "%00", "..", "%2F", "1").map((literal) => ({ literal })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((text) => ({ literal: encodeURIComponent(text) })) },
  );
  async function resolveId(choice: IdChoice): Promise<string> {
    if ("literal" in choice) return choice.literal;
    if ("bob" in choice) return bobsTaskId;
    const live = await h.db.query<{ id: string }>("SELECT id FROM tasks WHERE user_id = $1 AND deleted_at IS NULL ORDER BY id", [alice.userId]);
    return live[choice.live % Math.max(1, live.length)]?.id ?? anchorId;
  }
  const contentType = fc.constantFrom("application/json", "application/json", "application/json", "text/plain", "application/x-www-form-urlencoded", undefined);

  /** Sends the request and checks the invariant: 2xx or 4xx, and a 4xx wrote nothing. */
  async function check(method: string, path: string, body: string | undefined, headers: Record<string, string | null | undefined>) {
    const before = await h.snapshot();
    const sent: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) if (typeof value === "string") sent[name] = value;
    const reply = await h.call(method, path, { raw: body, headers: sent });
    const described = `${method} ${path} ${JSON.stringify(sent)} ${body?.slice(0, 300)} -> ${reply.status} ${JSON.stringify(reply.body)}`;
    if (reply.status >= 500 || reply.status < 200) throw new Error(`server error: ${described}`);
    if (reply.status >= 400) {
      if ((await h.snapshot()) !== before) throw new Error(`a ${reply.status} changed the database: ${described}`);
      if (typeof reply.body?.error?.code !== "string") throw new Error(`error without the common shape: ${described}`);
    }
  }

  const options = { numRuns: RUNS };

  test("POST /api/tasks", async () => {
    await fc.assert(
      fc.asyncProperty(rawBody(taskBody), authorization(), contentType, async (body, auth, type) => {
        await check("POST", "/api/tasks", body, { authorization: auth, "content-type": type });
      }),
      options,
    );
  }, 60_000);

  test("GET /api/tasks", async () => {
    await fc.assert(
      fc.asyncProperty(queryString, authorization(), async (query, auth) => {
        await check("GET", `/api/tasks?${query}`, undefined, { authorization: auth });
      }),
      options,
    );
  }, 60_000);

  test("GET, PATCH and DELETE /api/tasks/:id", async () => {
    const ifMatch = fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom('"1"', '"2"', '"3"') },
      { weight: 1, arbitrary: headerValue },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "PATCH", "PATCH", "PATCH", "PATCH", "DELETE", "PUT"),
        idChoice,
        rawBody(taskBody),
        authorization(),
        ifMatch,
        contentType,
        async (method, choice, body, auth, version, type) => {
          const headers = { authorization: auth, "if-match": version, "content-type": type };
          await check(method, `/api/tasks/${await resolveId(choice)}`, method === "GET" ? undefined : body, headers);
        },
      ),
      options,
    );
  }, 60_000);

  test("POST /api/tasks/:id/complete and /reopen", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("complete", "reopen"),
        idChoice,
        rawBody(anyJson),
        authorization(),
        contentType,
        async (action, choice, body, auth, type) => {
          await check("POST", `/api/tasks/${await resolveId(choice)}/${action}`, body, { authorization: auth, "content-type": type });
        },
      ),
      options,
    );
  }, 60_000);

  test("POST /internal/series/:seriesId/occurrences", async () => {
    // Mostly the right app token and series, so bodies get checked; sometimes none or another.
    const token = fc.tuple(fc.integer({ min: 0, max: 9 }), fc.option(headerValue)).map(([n, other]) => (n < 8 ? APP_TOKEN : other));
    const series = fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: idChoice });
    const body = fc.oneof(
      { weight: 1, arbitrary: occurrenceBody },
      {
        weight: 3,
        arbitrary: fc
          .tuple(taskBody, fc.integer({ min: 0, max: 30 }))
          .map(([task, occurrence]) => ({ userId: alice.userId, occurrence, dueAt: "2031-01-01T09:00:00Z", ...task })),
      },
    );
    await fc.assert(
      fc.asyncProperty(series, rawBody(body), token, contentType, async (choice, raw, appToken, type) => {
        const seriesId = choice === null ? anchorId : await resolveId(choice);
        await check("POST", `/internal/series/${seriesId}/occurrences`, raw, { "dapr-api-token": appToken, "content-type": type });
      }),
      options,
    );
  }, 60_000);

  test("the random requests did get through to real writes", async () => {
    // Guards the properties against inputs so broken that nothing reaches the task rules and the SQL.
    const [counts] = await h.db.query<{ created: number; changed: number; deleted: number; occurrences: number }>(
      `SELECT count(*)::int AS created, count(*) FILTER (WHERE version > 1)::int AS changed,
              count(*) FILTER (WHERE deleted_at IS NOT NULL)::int AS deleted,
              count(*) FILTER (WHERE series_id IS NOT NULL AND occurrence > 0)::int AS occurrences
         FROM tasks`,
    );
    expect(counts?.created ?? 0).toBeGreaterThan(20);
    expect(counts?.changed ?? 0).toBeGreaterThan(5);
    expect(counts?.deleted ?? 0).toBeGreaterThan(0);
    expect(counts?.occurrences ?? 0).toBeGreaterThan(0);
  });
});
