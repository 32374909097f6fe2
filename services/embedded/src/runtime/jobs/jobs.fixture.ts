import type { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryLogger } from "@todo/common";
import { waitFor } from "@todo/testkit";
import { inProcessChannel, type AppChannel } from "../app-channel.ts";
import { openRuntimeDb } from "../db.ts";
import { createJobScheduler, type JobScheduler, type JobSchedulerOptions } from "./scheduler.ts";

/** A trigger as the app saw it. */
export interface ReceivedTrigger {
  appId: string;
  path: string;
  name: string;
  contentType: string | null;
  apiToken: string | null;
  body: string;
  arrivedAt: number;
}

export type AppReply = (trigger: ReceivedTrigger) => Response | Promise<Response>;

/**
 * Test support (not used by the runtime): a temp data dir with the runtime db,
 * in-process apps that record every trigger, and schedulers that are stopped
 * and removed by cleanup().
 */
export function createJobsHarness() {
  const dir = mkdtempSync(join(tmpdir(), "embedded-jobs-"));
  let db: Database = openRuntimeDb(dir);
  const triggers: ReceivedTrigger[] = [];
  const replies = new Map<string, AppReply>();
  const channels = new Map<string, AppChannel>();
  const schedulers: JobScheduler[] = [];
  const logger = createMemoryLogger("jobs-test");

  const triggersOf = (name: string, appId?: string) =>
    triggers.filter((t) => t.name === name && (appId === undefined || t.appId === appId));

  const addApp = (appId: string, reply: AppReply = () => new Response(null, { status: 200 }), appApiToken?: string) => {
    replies.set(appId, reply);
    channels.set(
      appId,
      inProcessChannel(
        appId,
        async (request) => {
          const path = new URL(request.url).pathname;
          const trigger: ReceivedTrigger = {
            appId,
            path,
            name: decodeURIComponent(path.replace(/^\/job\//, "")),
            contentType: request.headers.get("content-type"),
            apiToken: request.headers.get("dapr-api-token"),
            body: await request.text(),
            arrivedAt: Date.now(),
          };
          triggers.push(trigger);
          return replies.get(appId)!(trigger);
        },
        appApiToken,
      ),
    );
  };

  return {
    dir,
    triggers,
    logger,
    get db() {
      return db;
    },
    addApp,
    /** Replaces how an app answers triggers from now on. */
    setReply(appId: string, reply: AppReply) {
      replies.set(appId, reply);
    },
    triggersOf,
    /** Waits until `name` has had at least `count` triggers and returns them. */
    async waitForTriggers(name: string, count = 1): Promise<ReceivedTrigger[]> {
      await waitFor(() => triggersOf(name).length >= count, { message: `${count} trigger(s) of ${name}` });
      return triggersOf(name);
    },
    scheduler(options: Partial<JobSchedulerOptions> = {}): JobScheduler {
      const scheduler = createJobScheduler({ db, channel: (appId) => channels.get(appId), logger, ...options });
      schedulers.push(scheduler);
      return scheduler;
    },
    /** Closes the db and opens the same file again, as a restarted runtime would. */
    reopenDb() {
      db.close();
      db = openRuntimeDb(dir);
      return db;
    },
    async cleanup() {
      await Promise.all(schedulers.map((s) => s.stop()));
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type JobsHarness = ReturnType<typeof createJobsHarness>;
