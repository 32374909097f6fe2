/**
 * The stack's infrastructure, each with a real readiness check: PostgreSQL
 * (pg_isready), Redis (PING), Kafka in KRaft mode (a kcat metadata request)
 * and the Dapr Scheduler (its /healthz).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "@todo/testkit";
import { PORTS, REPO_ROOT } from "./layout.ts";
import { isAlive, isGone, run, startDetached, tailOf, type ProcessRecord, type ProcessSpec } from "./processes.ts";

const READY_TIMEOUT_MS = 90_000;

/** Starts a process and waits until `ready()` says so; the log tail explains a failure. */
export async function startAndWait(spec: ProcessSpec, ready: () => Promise<boolean>, timeoutMs = READY_TIMEOUT_MS): Promise<ProcessRecord> {
  const record = startDetached(spec);
  try {
    // Stop waiting as soon as the process dies; its log says why.
    const outcome = await waitFor(async () => (isAlive(record.pid) ? (await ready()) && "ready" : "exited"), {
      timeoutMs,
      intervalMs: 200,
      message: `${spec.name} to be ready`,
    });
    if (outcome === "exited") throw new Error(`${spec.name} exited before it was ready`);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- ${spec.log} ---\n${await tailOf(spec.log)}`);
  }
  return record;
}

const baseEnv = () => ({ PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root", LANG: "C.UTF-8" });

// ── PostgreSQL ────────────────────────────────────────────────────────────────

function postgresBin(): string {
  const found = new Bun.Glob("/usr/lib/postgresql/*/bin/initdb").scanSync({ absolute: true });
  const latest = [...found].sort().at(-1);
  if (!latest) throw new Error("PostgreSQL is not installed (apt-get install -y postgresql)");
  return latest.replace(/\/initdb$/, "");
}

/** A superuser on a throwaway cluster in `dir` (initdb as user postgres when run as root, as initdb refuses root). */
export async function startPostgres(dir: string, log: string): Promise<ProcessRecord> {
  const bin = postgresBin();
  const data = join(dir, "postgres");
  mkdirSync(data, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  const wrap = (argv: string[]) => (asRoot ? ["runuser", "-u", "postgres", "--", ...argv] : argv);
  if (asRoot) await run(["chown", "-R", "postgres", data]);
  const init = await run(wrap([`${bin}/initdb`, "-D", data, "-U", "todo", "--auth=trust"]));
  if (init.code !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  return startAndWait(
    {
      name: "postgres",
      argv: wrap([`${bin}/postgres`, "-D", data, "-p", String(PORTS.postgres), "-k", data, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]),
      env: baseEnv(),
      cwd: dir,
      log,
    },
    postgresReady,
  );
}

/**
 * After a crash: postmaster.pid and the socket's lock file name a postmaster
 * that is gone. PostgreSQL refuses to start while that pid still exists, and
 * an unreaped zombie does; a restarted container (new pid namespace) never
 * sees it, so remove them.
 */
export function removeStalePostmasterLocks(dir: string): void {
  const data = join(dir, "postgres");
  const pidFile = join(data, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && !isGone(pid)) throw new Error(`postmaster ${pid} is still running`);
  unlinkSync(pidFile);
  for (const entry of readdirSync(data)) if (entry.startsWith(".s.PGSQL.")) unlinkSync(join(data, entry));
}

export async function postgresReady(): Promise<boolean> {
  return (await run([`${postgresBin()}/pg_isready`, "-h", "127.0.0.1", "-p", String(PORTS.postgres)])).code === 0;
}

/** A fresh database named `name` on the server at `serverUrl`; returns its URL. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const sql = new Bun.SQL(serverUrl);
  try {
    await sql.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await sql.close();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = "/postgres";
  const sql = new Bun.SQL(url.toString());
  try {
    await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await sql.close();
  }
}

// ── Redis ─────────────────────────────────────────────────────────────────────

export async function redisReady(): Promise<boolean> {
  const ping = await run(["redis-cli", "-h", "127.0.0.1", "-p", String(PORTS.redis), "ping"]);
  return ping.stdout.trim() === "PONG";
}

export function startRedis(dir: string, log: string): Promise<ProcessRecord> {
  const data = join(dir, "redis");
  mkdirSync(data, { recursive: true });
  return startAndWait(
    {
      name: "redis",
      argv: ["redis-server", "--port", String(PORTS.redis), "--bind", "127.0.0.1", "--dir", data, "--save", "", "--appendonly", "yes"],
      env: baseEnv(),
      cwd: dir,
      log,
    },
    redisReady,
  );
}

// ── Kafka (KRaft, one node that is broker and controller) ─────────────────────

export async function kafkaReady(): Promise<boolean> {
  const metadata = await run(["kcat", "-b", `127.0.0.1:${PORTS.kafka}`, "-L", "-m", "3"]);
  return metadata.code === 0 && metadata.stdout.includes("1 brokers");
}

function kafkaSpec(dir: string, libs: string, log: string): ProcessSpec {
  return {
    name: "kafka",
    argv: [
      "java",
      "-Xms256m",
      "-Xmx768m",
      "-XX:+UseG1GC",
      "-XX:MaxGCPauseMillis=20",
      "-Djava.awt.headless=true",
      `-Dlog4j.configuration=file:${join(dir, "kafka", "log4j.properties")}`,
      "-cp",
      `${libs}/*`,
      "kafka.Kafka",
      join(dir, "kafka", "server.properties"),
    ],
    env: baseEnv(),
    cwd: dir,
    log,
  };
}

/** Writes the broker config and formats its storage (once per state dir). */
export async function startKafka(dir: string, libs: string, log: string): Promise<ProcessRecord> {
  const home = join(dir, "kafka");
  mkdirSync(home, { recursive: true });
  const properties = join(home, "server.properties");
  if (!existsSync(properties)) {
    writeFileSync(properties, kafkaProperties(join(home, "data")));
    writeFileSync(
      join(home, "log4j.properties"),
      [
        "log4j.rootLogger=INFO, stdout",
        "log4j.appender.stdout=org.apache.log4j.ConsoleAppender",
        "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout",
        "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n",
        "log4j.logger.kafka=INFO",
        "log4j.logger.org.apache.kafka=WARN",
        "",
      ].join("\n"),
    );
    const classpath = `${libs}/*`;
    const clusterId = (await run(["java", "-cp", classpath, "kafka.tools.StorageTool", "random-uuid"])).stdout.trim();
    const format = await run(["java", "-cp", classpath, "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", properties, "--ignore-formatted"]);
    if (format.code !== 0) throw new Error(`kafka storage format failed: ${format.stdout}${format.stderr}`);
  }
  return startAndWait(kafkaSpec(dir, libs, log), kafkaReady);
}

function kafkaProperties(logDirs: string): string {
  return `${[
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@127.0.0.1:${PORTS.kafkaController}`,
    `listeners=PLAINTEXT://127.0.0.1:${PORTS.kafka},CONTROLLER://127.0.0.1:${PORTS.kafkaController}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${PORTS.kafka}`,
    "inter.broker.listener.name=PLAINTEXT",
    "controller.listener.names=CONTROLLER",
    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    `log.dirs=${logDirs}`,
    // Several partitions so per-key ordering (partitionKey) is exercised, as on a cluster; as many as
    // the chart's Kafka (chart/templates/kafka-strimzi.yaml): daprd hands a consumer one message of a
    // partition at a time, so partitions bound how many events a service works on at once.
    "num.partitions=8",
    "offsets.topic.replication.factor=1",
    "offsets.topic.num.partitions=4",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "auto.create.topics.enable=true",
    // New consumer groups join at once instead of waiting 3 s for more members.
    "group.initial.rebalance.delay.ms=0",
    "num.network.threads=2",
    "num.io.threads=2",
  ].join("\n")}\n`;
}

// ── Dapr Scheduler ────────────────────────────────────────────────────────────

export async function schedulerReady(): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${PORTS.schedulerHealthz}/healthz`).catch(() => undefined);
  return response?.ok === true;
}

export function startScheduler(dir: string, scheduler: string, log: string): Promise<ProcessRecord> {
  const data = join(dir, "scheduler");
  mkdirSync(data, { recursive: true });
  return startAndWait(
    {
      name: "scheduler",
      argv: [
        scheduler,
        "--listen-address",
        "127.0.0.1",
        "--port",
        String(PORTS.scheduler),
        "--healthz-port",
        String(PORTS.schedulerHealthz),
        "--metrics-port",
        String(PORTS.schedulerMetrics),
        "--id",
        "dapr-scheduler-server-0",
        "--etcd-initial-cluster",
        `dapr-scheduler-server-0=http://127.0.0.1:${PORTS.etcdPeer}`,
        "--etcd-client-port",
        String(PORTS.etcdClient),
        "--etcd-client-listen-address",
        "127.0.0.1",
        "--etcd-data-dir",
        data,
        "--log-level",
        "info",
      ],
      env: baseEnv(),
      cwd: REPO_ROOT,
      log,
    },
    schedulerReady,
  );
}
