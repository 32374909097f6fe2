import type { Database } from "bun:sqlite";
import type { FailurePolicyJson } from "./failure-policy.ts";
import type { JobDefinition } from "./job-request.ts";

/** One job row: what was asked for (echoed by GET) and where its schedule stands. */
export interface StoredJob extends JobDefinition {
  appId: string;
  name: string;
  createdAt: number;
  expiresAt?: number;
  /** The pending fire (epoch ms); undefined when none is left before expiry. */
  nextFireAt?: number;
  /** Fires completed so far. */
  fired: number;
  /** Changes whenever the job is replaced, so a trigger of the old job cannot update the new one. */
  revision: number;
}

export type NewJob = Omit<StoredJob, "fired" | "revision">;

export interface FireRecord {
  appId: string;
  name: string;
  revision: number;
  nextFireAt: number | undefined;
}

export interface JobStore {
  /** Inserts the job; with `overwrite`, replaces one of the same name. Undefined when it exists and may not be replaced. */
  put(job: NewJob, overwrite: boolean): StoredJob | undefined;
  get(appId: string, name: string): StoredJob | undefined;
  delete(appId: string, name: string): boolean;
  /** Every job, for loading the timer queue at start. */
  all(): StoredJob[];
  /**
   * Records a completed fire of `revision`: the job moves to `nextFireAt`, or is
   * deleted when there is none. False when the job was replaced or deleted meanwhile.
   */
  recordFire(appId: string, name: string, revision: number, nextFireAt: number | undefined): boolean;
  /** recordFire for many fires in one transaction (one commit instead of one per fire). */
  recordFires(fires: FireRecord[]): boolean[];
  /** Deletes the job if it still is `revision` (it expired). */
  deleteRevision(appId: string, name: string, revision: number): boolean;
}

interface Row {
  id: number;
  app_id: string;
  name: string;
  schedule: string | null;
  due_time: string | null;
  repeats: number | null;
  ttl: string | null;
  data: string | null;
  failure_policy: string | null;
  created_at: number;
  expires_at: number | null;
  next_fire_at: number | null;
  fired: number;
}

/** Jobs live in the runtime's SQLite file; every change is committed before the API answers. */
export function createJobStore(db: Database): JobStore {
  db.exec(`
    CREATE TABLE IF NOT EXISTS scheduler_jobs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      app_id TEXT NOT NULL,
      name TEXT NOT NULL,
      schedule TEXT,
      due_time TEXT,
      repeats INTEGER,
      ttl TEXT,
      data TEXT,
      failure_policy TEXT,
      created_at INTEGER NOT NULL,
      expires_at INTEGER,
      next_fire_at INTEGER,
      fired INTEGER NOT NULL DEFAULT 0,
      UNIQUE (app_id, name)
    )
  `);

  const insert = db.query<Row, Record<string, string | number | null>>(`
    INSERT INTO scheduler_jobs (app_id, name, schedule, due_time, repeats, ttl, data, failure_policy, created_at, expires_at, next_fire_at)
    VALUES ($app_id, $name, $schedule, $due_time, $repeats, $ttl, $data, $failure_policy, $created_at, $expires_at, $next_fire_at)
    ON CONFLICT (app_id, name) DO NOTHING
    RETURNING *
  `);
  const selectOne = db.query<Row, { app_id: string; name: string }>(
    "SELECT * FROM scheduler_jobs WHERE app_id = $app_id AND name = $name",
  );
  const selectAll = db.query<Row, []>("SELECT * FROM scheduler_jobs");
  const deleteOne = db.query<null, { app_id: string; name: string }>(
    "DELETE FROM scheduler_jobs WHERE app_id = $app_id AND name = $name",
  );
  const deleteRevision = db.query<null, { app_id: string; name: string; id: number }>(
    "DELETE FROM scheduler_jobs WHERE app_id = $app_id AND name = $name AND id = $id",
  );
  const advance = db.query<null, { app_id: string; name: string; id: number; next_fire_at: number }>(
    "UPDATE scheduler_jobs SET fired = fired + 1, next_fire_at = $next_fire_at WHERE app_id = $app_id AND name = $name AND id = $id",
  );

  const recordFire = (appId: string, name: string, revision: number, nextFireAt: number | undefined) => {
    const key = { app_id: appId, name, id: revision };
    if (nextFireAt === undefined) return deleteRevision.run(key).changes > 0;
    return advance.run({ ...key, next_fire_at: nextFireAt }).changes > 0;
  };
  const recordFires = db.transaction((fires: FireRecord[]) =>
    fires.map((fire) => recordFire(fire.appId, fire.name, fire.revision, fire.nextFireAt)),
  );

  const replace = db.transaction((params: Record<string, string | number | null>) => {
    deleteOne.run({ app_id: params.app_id as string, name: params.name as string });
    return insert.get(params);
  });

  return {
    put(job, overwrite) {
      const params = {
        app_id: job.appId,
        name: job.name,
        schedule: job.schedule ?? null,
        due_time: job.dueTime ?? null,
        repeats: job.repeats ?? null,
        ttl: job.ttl ?? null,
        data: job.dataJson ?? null,
        failure_policy: job.failurePolicy === undefined ? null : JSON.stringify(job.failurePolicy),
        created_at: job.createdAt,
        expires_at: job.expiresAt ?? null,
        next_fire_at: job.nextFireAt ?? null,
      };
      const row = overwrite ? replace(params) : insert.get(params);
      return row ? fromRow(row) : undefined;
    },
    get(appId, name) {
      const row = selectOne.get({ app_id: appId, name });
      return row ? fromRow(row) : undefined;
    },
    delete(appId, name) {
      return deleteOne.run({ app_id: appId, name }).changes > 0;
    },
    all() {
      return selectAll.all().map(fromRow);
    },
    recordFire,
    recordFires: (fires) => recordFires(fires),
    deleteRevision(appId, name, revision) {
      return deleteRevision.run({ app_id: appId, name, id: revision }).changes > 0;
    },
  };
}

function fromRow(row: Row): StoredJob {
  const job: StoredJob = {
    appId: row.app_id,
    name: row.name,
    createdAt: row.created_at,
    fired: row.fired,
    revision: row.id,
  };
  if (row.schedule !== null) job.schedule = row.schedule;
  if (row.due_time !== null) job.dueTime = row.due_time;
  if (row.repeats !== null) job.repeats = row.repeats;
  if (row.ttl !== null) job.ttl = row.ttl;
  if (row.data !== null) job.dataJson = row.data;
  if (row.failure_policy !== null) job.failurePolicy = JSON.parse(row.failure_policy) as FailurePolicyJson;
  if (row.expires_at !== null) job.expiresAt = row.expires_at;
  if (row.next_fire_at !== null) job.nextFireAt = row.next_fire_at;
  return job;
}
