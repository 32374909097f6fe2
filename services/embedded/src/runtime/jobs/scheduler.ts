import type { Database } from "bun:sqlite";
import type { Logger } from "@todo/common";
import type { AppChannel } from "../app-channel.ts";
import { defaultFailurePolicy, parseFailurePolicy, retryDelayMs, type FailurePolicyJson } from "./failure-policy.ts";
import { planJob, type JobDefinition, type JobRequest } from "./job-request.ts";
import { createJobStore, type StoredJob } from "./job-store.ts";
import { nextFireAfter } from "./job-timing.ts";
import { parseSchedule } from "./schedule.ts";
import { createTimerHeap } from "./timer-heap.ts";
import { triggerJob } from "./trigger.ts";

/**
 * The embedded stand-in for daprd + the Dapr Scheduler: jobs owned by an app
 * id, kept in SQLite, triggered at their due time through the app's channel.
 */
export interface JobScheduler {
  /** Loads every stored job and starts firing; a job that fell due while the runtime was down fires once right away. */
  start(): void;
  /** No new fires; waits (bounded) for triggers in flight; unfinished fires run again at the next start. */
  stop(): Promise<void>;
  schedule(appId: string, name: string, request: JobRequest): ScheduleOutcome;
  get(appId: string, name: string): JobView | undefined;
  /** Removes the job; a missing job is not an error (daprd answers 204 either way). */
  delete(appId: string, name: string): void;
}

export type ScheduleOutcome =
  | { ok: true }
  | { ok: false; reason: "exists"; message: string }
  | { ok: false; reason: "invalid"; message: string };

/** A job as GET echoes it. */
export interface JobView extends JobDefinition {
  name: string;
}

export interface JobSchedulerOptions {
  db: Database;
  /** The channel to the app that owns a job; undefined (app not registered) counts as a failed trigger. */
  channel: (appId: string) => AppChannel | undefined;
  logger: Logger;
  now?: () => number;
  /** A trigger without a reply after this long counts as failed. Default 30 s. */
  triggerTimeoutMs?: number;
  /** How long stop() waits for triggers in flight. Default 5 s. */
  stopTimeoutMs?: number;
}

// Due times are wall-clock instants but setTimeout counts monotonic time, so
// the timer re-checks the clock at least every second: a moved clock (a test's,
// an NTP step, resume from sleep) is noticed within a second, and setTimeout's
// 2^31-1 ms limit never comes near.
const maxTimerDelayMs = 1_000;
const dispatchSliceSize = 250;
const recordRetryMs = 1_000;

export function createJobScheduler(options: JobSchedulerOptions): JobScheduler {
  const { channel, logger } = options;
  const now = options.now ?? Date.now;
  const triggerTimeoutMs = options.triggerTimeoutMs ?? 30_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
  const store = createJobStore(options.db);
  const queue = createTimerHeap();
  const inFlight = new Set<Promise<void>>();
  const sleepers = new Set<() => void>();
  const completed: { job: StoredJob; next: number | undefined }[] = [];
  let running = false;
  // After stop() gave up waiting, late trigger results are not written (the db may be closed).
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let armedAt: number | undefined;
  let slice: ReturnType<typeof setImmediate> | undefined;

  const keyOf = (appId: string, name: string) => `${appId}\u0000${name}`;
  const splitKey = (key: string) => {
    const separator = key.indexOf("\u0000");
    return { appId: key.slice(0, separator), name: key.slice(separator + 1) };
  };

  /** One timer, armed for the earliest due time; re-armed only when that changes. */
  const arm = () => {
    if (timer !== undefined) clearTimeout(timer);
    if (slice !== undefined) clearImmediate(slice);
    timer = undefined;
    slice = undefined;
    armedAt = undefined;
    if (!running) return;
    const top = queue.peek();
    if (!top) return;
    armedAt = top.at;
    timer = setTimeout(onTimer, Math.min(Math.max(0, top.at - now()), maxTimerDelayMs));
  };

  const enqueue = (job: StoredJob) => {
    // A job with no fire left before its ttl stays visible until it expires.
    const at = job.nextFireAt ?? job.expiresAt;
    const key = keyOf(job.appId, job.name);
    if (at === undefined) {
      store.deleteRevision(job.appId, job.name, job.revision);
      queue.delete(key);
      return;
    }
    queue.set(key, at);
    if (running && (armedAt === undefined || at < armedAt)) arm();
  };

  function onTimer() {
    timer = undefined;
    slice = undefined;
    armedAt = undefined;
    if (!running) return;
    // Timers may wake a little early: only what is due by the clock fires.
    const current = now();
    let dispatched = 0;
    for (let top = queue.peek(); top && top.at <= current; top = queue.peek()) {
      // A large batch due at once goes out in slices, so the first triggers
      // are not held back until thousands of others have been prepared.
      if (dispatched === dispatchSliceSize) {
        armedAt = top.at;
        slice = setImmediate(onTimer);
        return;
      }
      queue.pop();
      dispatch(top.key, current);
      dispatched += 1;
    }
    arm();
  }

  const dispatch = (key: string, current: number) => {
    const { appId, name } = splitKey(key);
    const job = store.get(appId, name);
    if (!job) return;
    if (job.nextFireAt === undefined || (job.expiresAt !== undefined && job.nextFireAt > job.expiresAt)) {
      store.deleteRevision(appId, name, job.revision);
      logger.debug("job expired", { appId, job: name });
      return;
    }
    if (job.nextFireAt > current) {
      enqueue(job);
      return;
    }
    // Triggers run concurrently: one slow app does not hold up other jobs.
    const run = fire(job).catch((error: unknown) => logger.error("job trigger crashed", { appId, job: name, error }));
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
  };

  const fire = async (job: StoredJob) => {
    const { appId, name } = job;
    const policy = job.failurePolicy ? policyOf(job.failurePolicy) : defaultFailurePolicy;
    for (let failures = 0; ; ) {
      const outcome = await triggerJob(channel(appId), name, job.dataJson, triggerTimeoutMs);
      if (outcome.ok) {
        logger.debug("job triggered", { appId, job: name, status: outcome.status, dueAt: job.nextFireAt });
        break;
      }
      failures += 1;
      const delay = retryDelayMs(policy, failures);
      if (delay === undefined) {
        logger.error("job trigger failed; failure policy exhausted, moving on", { appId, job: name, reason: outcome.reason, attempts: failures });
        break;
      }
      logger.warn("job trigger failed; will retry", { appId, job: name, reason: outcome.reason, attempt: failures, retryInMs: delay });
      // Stopping abandons the retries without recording the fire: it runs again at the next start.
      if (!(await sleepWhileRunning(delay))) return;
      const current = store.get(appId, name);
      if (!current || current.revision !== job.revision) return;
    }
    if (closed) return;
    complete(job);
  };

  /**
   * Records the fire only after the trigger finished, so a crash before the
   * record is written re-fires the job at start (at-least-once). Fires that
   * complete together are written in one transaction.
   */
  const complete = (job: StoredJob) => {
    const parsed = job.schedule === undefined ? undefined : parseSchedule(job.schedule);
    const timing = {
      ...(parsed?.ok ? { schedule: parsed.schedule } : {}),
      ...(job.repeats === undefined ? {} : { repeats: job.repeats }),
      ...(job.expiresAt === undefined ? {} : { expiresAt: job.expiresAt }),
    };
    const next = nextFireAfter(timing, job.fired + 1, job.nextFireAt ?? now(), now());
    completed.push({ job, next });
    if (completed.length === 1) setImmediate(flushCompleted);
  };

  const flushCompleted = () => {
    if (completed.length === 0 || closed) return;
    const batch = completed.splice(0);
    let recorded: boolean[];
    try {
      recorded = store.recordFires(
        batch.map(({ job, next }) => ({ appId: job.appId, name: job.name, revision: job.revision, nextFireAt: next })),
      );
    } catch (error) {
      // A full disk refuses the write: keep the fires and write them again shortly (until then a restart re-fires them).
      logger.error("recording job fires failed; retrying", { jobs: batch.length, error });
      completed.unshift(...batch);
      setTimeout(flushCompleted, recordRetryMs).unref?.();
      return;
    }
    batch.forEach(({ job, next }, index) => {
      // Not recorded: the job was replaced or deleted while its trigger ran.
      if (recorded[index] && next !== undefined) enqueue({ ...job, fired: job.fired + 1, nextFireAt: next });
    });
  };

  const sleepWhileRunning = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (!running) return resolve(false);
      const wake = () => {
        clearTimeout(sleepTimer);
        sleepers.delete(wake);
        resolve(false);
      };
      const sleepTimer = setTimeout(() => {
        sleepers.delete(wake);
        resolve(running);
      }, ms);
      sleepers.add(wake);
    });

  return {
    start() {
      if (running) return;
      running = true;
      closed = false;
      queue.clear();
      for (const job of store.all()) enqueue(job);
      arm();
      logger.info("job scheduler started", { jobs: queue.size });
    },

    async stop() {
      if (!running) return;
      running = false;
      arm();
      for (const wake of [...sleepers]) wake();
      let giveUp: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<void>((resolve) => {
        giveUp = setTimeout(resolve, stopTimeoutMs);
      });
      await Promise.race([Promise.allSettled([...inFlight]), deadline]);
      clearTimeout(giveUp);
      flushCompleted();
      closed = true;
      if (inFlight.size > 0) logger.warn("job scheduler stopped with triggers still in flight", { inFlight: inFlight.size });
    },

    schedule(appId, name, request) {
      const planned = planJob(request, now());
      if (!planned.ok) return { ok: false, reason: "invalid", message: planned.error };
      const { plan } = planned;
      const stored = store.put(
        {
          appId,
          name,
          ...(request.schedule === undefined ? {} : { schedule: request.schedule }),
          ...(request.dueTime === undefined ? {} : { dueTime: request.dueTime }),
          ...(request.repeats === undefined ? {} : { repeats: request.repeats }),
          ...(request.ttl === undefined ? {} : { ttl: request.ttl }),
          ...(request.dataJson === undefined ? {} : { dataJson: request.dataJson }),
          ...(request.failurePolicy === undefined ? {} : { failurePolicy: request.failurePolicy }),
          createdAt: plan.createdAt,
          ...(plan.expiresAt === undefined ? {} : { expiresAt: plan.expiresAt }),
          ...(plan.firstFireAt === undefined ? {} : { nextFireAt: plan.firstFireAt }),
        },
        request.overwrite === true,
      );
      if (!stored) {
        return { ok: false, reason: "exists", message: `job ${name} already exists; set overwrite to true to replace it` };
      }
      enqueue(stored);
      return { ok: true };
    },

    get(appId, name) {
      const job = store.get(appId, name);
      if (!job) return undefined;
      // Past its ttl with nothing left to fire: gone, even if not swept yet.
      if (job.expiresAt !== undefined && job.nextFireAt === undefined && job.expiresAt <= now()) return undefined;
      return viewOf(job);
    },

    delete(appId, name) {
      store.delete(appId, name);
      queue.delete(keyOf(appId, name));
    },
  };
}

function policyOf(json: FailurePolicyJson) {
  const parsed = parseFailurePolicy(json);
  return parsed.ok ? parsed.policy : defaultFailurePolicy;
}

function viewOf(job: StoredJob): JobView {
  const view: JobView = { name: job.name };
  if (job.schedule !== undefined) view.schedule = job.schedule;
  if (job.dueTime !== undefined) view.dueTime = job.dueTime;
  if (job.repeats !== undefined) view.repeats = job.repeats;
  if (job.ttl !== undefined) view.ttl = job.ttl;
  if (job.dataJson !== undefined) view.dataJson = job.dataJson;
  if (job.failurePolicy !== undefined) view.failurePolicy = job.failurePolicy;
  return view;
}
