/**
 * How many events a second the websocket service keeps up with on the real
 * stack (needs bun run stack:up): each user has a tab open; task changes are
 * made through chat-api's REST API as fast as `--concurrency` requests in
 * flight allow, and the clock stops when every tab holds a frame for every
 * change. With `--rate` the changes start at that many a second (a steady
 * stream) instead of as fast as possible (a burst). Prints the publish rate,
 * the rate the tabs received at and the worst and 99th-percentile lag from a
 * change's answer to its frame.
 *
 *   bun tests/stack/websocket-throughput.ts [--events 300] [--users 3] [--concurrency 12] [--rate 100]
 */
import { parseArgs } from "node:util";
import { apiClient, type TestUser } from "../e2e/harness/api-client.ts";
import { closeAll, openTab, type BrowserTab } from "@todo/testkit/browser-tab";
import { readStack } from "./stack.ts";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "300" },
    users: { type: "string", default: "3" },
    concurrency: { type: "string", default: "12" },
    rate: { type: "string" },
  },
});
const events = Number(values.events);
const userCount = Number(values.users);
const concurrency = Number(values.concurrency);
const rate = values.rate === undefined ? undefined : Number(values.rate);

const stack = readStack();
if (!stack) throw new Error("needs the real stack: bun run stack:up");
const api = apiClient({ api: stack.urls["chat-api"], audit: stack.urls.audit, ws: stack.urls.websocket, metrics: () => stack.urls["chat-api"] });

const tabs = new Set<BrowserTab>();
const users: { user: TestUser; tab: BrowserTab; answeredAt: Map<string, number> }[] = [];
for (let index = 0; index < userCount; index++) {
  const user = await api.signup(`throughput-${index}`);
  users.push({ user, tab: await openTab(stack.urls.websocket, { token: user.token }, tabs), answeredAt: new Map() });
}

const started = performance.now();
const startedAt = Date.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < events) {
      const index = next++;
      if (rate !== undefined) await Bun.sleep(Math.max(0, started + (index * 1000) / rate - performance.now()));
      const owner = users[index % users.length]!;
      const task = await api.createTask(owner.user, { title: `throughput ${index}` });
      owner.answeredAt.set(task.id, Date.now());
    }
  }),
);
const publishedMs = performance.now() - started;

const lagsMs: number[] = [];
for (const owner of users) {
  const frames = await owner.tab.until(
    (frames) => {
      const seen = frames.filter((frame) => frame.data.task && owner.answeredAt.has(frame.data.task.id));
      return seen.length >= owner.answeredAt.size && seen;
    },
    `every change of ${owner.user.email} on its tab`,
    600_000,
  );
  for (const frame of frames) lagsMs.push(frame.receivedAt - owner.answeredAt.get(frame.data.task!.id)!);
}
const lastFrameAt = Math.max(...users.flatMap((owner) => owner.tab.frames.map((frame) => frame.receivedAt)));
const syncedMs = lastFrameAt - startedAt;
await closeAll(tabs);

const perSecond = (ms: number) => Math.round((events / ms) * 1000 * 10) / 10;
console.log(
  JSON.stringify({
    events,
    users: userCount,
    concurrency,
    rate: rate ?? "burst",
    publishSeconds: Math.round(publishedMs) / 1000,
    publishedPerSecond: perSecond(publishedMs),
    syncedSeconds: Math.round(syncedMs) / 1000,
    deliveredPerSecond: perSecond(syncedMs),
    p99LagSeconds: lagsMs.toSorted((a, b) => a - b)[Math.floor(lagsMs.length * 0.99)]! / 1000,
    worstLagSeconds: Math.max(...lagsMs) / 1000,
  }),
);
