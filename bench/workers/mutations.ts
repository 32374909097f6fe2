/**
 * Load generator: task mutations through the public REST API, mixed
 * create / update / complete / delete over many users, either open loop at
 * a fixed rate or closed loop with a fixed number in flight. It records when
 * each mutation was accepted (keyed like the WebSocket frames it causes) so
 * the parent can compute sync latency.
 */
import { nowMs } from "../lib/clock.ts";
import { pick, seededRandom } from "../lib/rng.ts";
import type { BenchUser } from "../lib/users.ts";
import { distribution } from "../lib/stats.ts";
import { serveWorker } from "../lib/worker-rpc.ts";

export interface MutationsConfig {
  baseUrl: string;
  users: BenchUser[];
  seed: number;
}

export interface RunArgs {
  /** Open loop: mutations per second. */
  rate?: number;
  /** Closed loop: this many in flight, as fast as answers come. */
  concurrency?: number;
  durationMs: number;
  /** Keep acceptance times per event key (sync latency). */
  recordKeys?: boolean;
  /** Open loop: most requests in flight before new ones count as "behind". */
  maxInFlight?: number;
  /** Requests still unanswered this long after the window closes are aborted (counted as "aborted"). Default 5 s. */
  graceMs?: number;
}

export interface RunResult {
  issued: number;
  accepted: number;
  /** Mutations per kind that were accepted. */
  byKind: Record<Kind, number>;
  /** Non-2xx answers and network errors, by status ("network" for no answer). */
  failed: Record<string, number>;
  /** Open loop only: mutations due while maxInFlight were in flight (not sent). */
  behind: number;
  /** Published events the accepted mutations imply: task events plus reminder scheduled/cancelled. */
  expectedEvents: number;
  elapsedMs: number;
  httpMs: ReturnType<typeof distribution>;
  /** [eventKey, acceptedAtMs] when recordKeys. */
  accepts?: [string, number][];
}

export interface ReminderArgs {
  /** remindAt of each task to create, epoch ms. */
  remindAts: number[];
  concurrency: number;
}

type Kind = "create" | "update" | "complete" | "delete";

interface LiveTask {
  id: string;
  version: number;
  remindAt: string | null;
}

/** Share of each kind; update/complete/delete fall back to create when the user has no task. */
const MIX: [Kind, number][] = [
  ["create", 0.4],
  ["update", 0.3],
  ["complete", 0.15],
  ["delete", 0.15],
];
/** Creates that carry a reminder a day or more ahead: notification schedules (and later cancels) a job. */
const REMINDER_SHARE = 0.25;

const { progress } = serveWorker<MutationsConfig>((config) => {
  const random = seededRandom(config.seed);
  const tasks = new Map<string, LiveTask[]>(config.users.map((user) => [user.userId, []]));
  let stopRequested = false;
  let abort = new AbortController();
  let progressState = { accepted: 0, expectedEvents: 0 };
  setInterval(() => progress(progressState), 500).unref();

  async function call(user: BenchUser, method: string, path: string, body?: unknown): Promise<Response> {
    return await fetch(`${config.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${user.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: abort.signal,
    });
  }

  function chooseKind(): Kind {
    let roll = random();
    for (const [kind, share] of MIX) {
      if (roll < share) return kind;
      roll -= share;
    }
    return "create";
  }

  /** One mutation; resolves with what it did once the answer is in. */
  async function mutate(user: BenchUser, kind: Kind, result: RunResult, keys?: [string, number][]): Promise<void> {
    const own = tasks.get(user.userId) as LiveTask[];
    // A task is taken out of the pool while a request on it is in flight: no self-inflicted 409s.
    const target = kind === "create" || own.length === 0 ? undefined : own.splice(Math.floor(random() * own.length), 1)[0];
    const effective: Kind = target ? kind : "create";
    const remindAt =
      effective === "create" && random() < REMINDER_SHARE ? new Date(Date.now() + 86_400_000 * (1 + random() * 6)).toISOString() : undefined;
    const sent = nowMs();
    let response: Response;
    try {
      response =
        effective === "create"
          ? await call(user, "POST", "/api/tasks", { title: `bench ${Math.floor(random() * 1e9)}`, ...(remindAt ? { remindAt } : {}) })
          : effective === "update"
            ? await call(user, "PATCH", `/api/tasks/${target!.id}`, { title: `renamed ${Math.floor(random() * 1e9)}`, priority: pick(random, ["high", "low", "medium"]) })
            : effective === "complete"
              ? await call(user, "POST", `/api/tasks/${target!.id}/complete`)
              : await call(user, "DELETE", `/api/tasks/${target!.id}`);
    } catch {
      const reason = abort.signal.aborted ? "aborted" : "network";
      result.failed[reason] = (result.failed[reason] ?? 0) + 1;
      if (target) own.push(target);
      return;
    }
    const acceptedAt = nowMs();
    if (!response.ok) {
      await response.body?.cancel();
      result.failed[String(response.status)] = (result.failed[String(response.status)] ?? 0) + 1;
      if (target) own.push(target);
      return;
    }
    httpMs.push(acceptedAt - sent);
    result.accepted += 1;
    result.byKind[effective] += 1;
    let events = 1;
    if (effective === "delete") {
      await response.body?.cancel();
      if (target!.remindAt) events += 1;
      keys?.push([`${target!.id}:deleted`, acceptedAt]);
    } else {
      const task = (await response.json()) as { id: string; version: number; remindAt: string | null; status: string };
      if (effective === "create" && task.remindAt) events += 1;
      if (effective === "complete" && target!.remindAt) events += 1;
      keys?.push([`${task.id}:${task.version}`, acceptedAt]);
      // Completed tasks leave the pool: the mix keeps working on pending ones.
      if (task.status === "pending") own.push({ id: task.id, version: task.version, remindAt: task.remindAt });
    }
    result.expectedEvents += events;
    progressState = { accepted: result.accepted, expectedEvents: result.expectedEvents };
  }

  let httpMs: number[] = [];

  async function run(args: RunArgs): Promise<RunResult> {
    stopRequested = false;
    abort = new AbortController();
    httpMs = [];
    const result: RunResult = {
      issued: 0,
      accepted: 0,
      byKind: { create: 0, update: 0, complete: 0, delete: 0 },
      failed: {},
      behind: 0,
      expectedEvents: 0,
      elapsedMs: 0,
      httpMs: distribution([]),
    };
    progressState = { accepted: 0, expectedEvents: 0 };
    const keys: [string, number][] | undefined = args.recordKeys ? [] : undefined;
    const start = nowMs();
    const end = start + args.durationMs;
    const inFlight = new Set<Promise<void>>();
    const launch = () => {
      result.issued += 1;
      const user = pick(random, config.users);
      const promise = mutate(user, chooseKind(), result, keys)
        // An answer cut off while its body was read: unknown outcome, like an abort before it.
        .catch(() => void (result.failed.aborted = (result.failed.aborted ?? 0) + 1))
        .finally(() => inFlight.delete(promise));
      inFlight.add(promise);
    };
    if (args.concurrency !== undefined) {
      const lane = async () => {
        while (!stopRequested && nowMs() < end) {
          result.issued += 1;
          await mutate(pick(random, config.users), chooseKind(), result, keys);
        }
      };
      await Promise.all(Array.from({ length: args.concurrency }, lane));
    } else {
      const rate = args.rate ?? 100;
      const maxInFlight = args.maxInFlight ?? 1024;
      let due = 0;
      while (!stopRequested && nowMs() < end) {
        const shouldHave = Math.floor(((nowMs() - start) / 1000) * rate);
        while (due < shouldHave) {
          due += 1;
          if (inFlight.size >= maxInFlight) result.behind += 1;
          else launch();
        }
        await Bun.sleep(2);
      }
      // An overloaded system would keep the run going for minutes: what is not answered after the grace is cut off.
      const grace = setTimeout(() => abort.abort(), args.graceMs ?? 5000);
      await Promise.all(inFlight);
      clearTimeout(grace);
    }
    result.elapsedMs = nowMs() - start;
    result.httpMs = distribution(httpMs);
    if (keys) result.accepts = keys;
    return result;
  }

  return {
    run,
    stop() {
      stopRequested = true;
    },
    /** Tasks with the given reminder times, spread over the users; answers the reminder ids. */
    async createReminders(args: ReminderArgs): Promise<{ reminderIds: string[]; failed: number }> {
      const reminderIds: string[] = [];
      let failed = 0;
      let next = 0;
      const lane = async () => {
        while (next < args.remindAts.length) {
          const index = next++;
          const user = config.users[index % config.users.length] as BenchUser;
          const remindAt = new Date(args.remindAts[index] as number).toISOString();
          const response = await call(user, "POST", "/api/tasks", { title: `reminder ${index}`, remindAt }).catch(() => undefined);
          if (!response || response.status !== 201) {
            failed += 1;
            await response?.body?.cancel();
            continue;
          }
          const task = (await response.json()) as { id: string };
          reminderIds.push(`${task.id}-${Date.parse(remindAt)}`);
        }
      };
      await Promise.all(Array.from({ length: args.concurrency }, lane));
      return { reminderIds, failed };
    },
  };
});
