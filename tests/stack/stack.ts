/**
 * The whole distributed system on this machine: infrastructure, then one
 * daprd + one Bun process per service. `startStack` leaves everything running
 * and records it in <state dir>/stack.json; `stopStack` kills what it lists.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "@todo/testkit";
import { daprdHealthy, daprdSpec } from "./daprd.ts";
import { createDatabase, dropDatabase, kafkaReady, redisReady, schedulerReady, startAndWait, startKafka, startPostgres, startRedis, startScheduler } from "./infra.ts";
import { CURRENT, PORTS, REPO_ROOT, SERVICES, STACK_ROOT, servicePorts, type ServiceName, type StackState } from "./layout.ts";
import { isAlive, run, startDetached, stopProcess, tailOf, type ProcessRecord } from "./processes.ts";

const log = (message: string) => console.error(`stack: ${message}`);

/** daprd and scheduler paths from build-dapr.sh (which builds them the first time). */
export async function daprBinaries(): Promise<{ daprd: string; scheduler: string }> {
  const result = await run(["bash", join(REPO_ROOT, "tests/stack/build-dapr.sh")], { env: process.env as Record<string, string> });
  if (result.code !== 0) throw new Error(`tests/stack/build-dapr.sh failed:\n${result.stderr.slice(-4000)}`);
  const paths = Object.fromEntries(result.stdout.trim().split("\n").map((line) => line.split(" ", 2) as [string, string]));
  if (!paths.daprd || !paths.scheduler) throw new Error(`build-dapr.sh printed no paths:\n${result.stdout}`);
  return { daprd: paths.daprd, scheduler: paths.scheduler };
}

export async function kafkaLibs(): Promise<string> {
  const result = await run(["bash", join(REPO_ROOT, "tests/stack/fetch-kafka.sh")]);
  if (result.code !== 0) throw new Error(`tests/stack/fetch-kafka.sh failed:\n${result.stderr.slice(-4000)}`);
  return result.stdout.trim();
}

/**
 * The recorded state of the current stack, alive or not. Read it again before
 * stopping: fault tests restart processes and record their new pids there.
 */
export function readStackFile(): StackState | undefined {
  const file = join(CURRENT, "stack.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as StackState) : undefined;
}

/** The state of the stack that is up, or undefined when none is (or it died). */
export function readStack(): StackState | undefined {
  const state = readStackFile();
  return state?.processes.some((process) => isAlive(process.pid)) ? state : undefined;
}

export function saveStack(state: StackState): void {
  writeFileSync(join(state.dir, "stack.json"), `${JSON.stringify(state, null, 2)}\n`);
}

export function processOf(state: StackState, name: string): ProcessRecord {
  const record = state.processes.find((process) => process.name === name);
  if (!record) throw new Error(`the stack has no process ${name}`);
  return record;
}

/**
 * Components for this run: dapr/components as committed (Kafka 127.0.0.1:9092,
 * Redis 127.0.0.1:6379, moved by REALSTACK_PORT_OFFSET), the secret store
 * pointed at this run's secrets file, plus dapr/resiliency.yaml.
 */
function writeResources(dir: string, secretsFile: string): string {
  const resources = join(dir, "resources");
  mkdirSync(resources, { recursive: true });
  const components = join(REPO_ROOT, "dapr/components");
  for (const file of readdirSync(components)) {
    let text = readFileSync(join(components, file), "utf8")
      .replace('"127.0.0.1:9092"', `"127.0.0.1:${PORTS.kafka}"`)
      .replace('"127.0.0.1:6379"', `"127.0.0.1:${PORTS.redis}"`);
    if (file === "secretstore.yaml") text = text.replace(/value: "[^"]*secrets\.json"/, `value: "${secretsFile}"`);
    writeFileSync(join(resources, file), text);
  }
  writeFileSync(join(resources, "resiliency.yaml"), readFileSync(join(REPO_ROOT, "dapr/resiliency.yaml")));
  return resources;
}

const token = () => randomBytes(32).toString("base64url");

/**
 * Infrastructure only (Kafka, Redis, Scheduler; PostgreSQL unless a server is
 * given): what the daprd conformance target needs.
 */
export async function startInfra(dir: string, options: { postgres: boolean }) {
  const binaries = await daprBinaries();
  const libs = await kafkaLibs();
  const logs = join(dir, "logs");
  mkdirSync(logs, { recursive: true });
  const processes: ProcessRecord[] = [];
  const timed = async (name: string, start: () => Promise<ProcessRecord>) => {
    const began = performance.now();
    const record = await start();
    log(`${name} ready in ${Math.round(performance.now() - began)} ms (pid ${record.pid}, log ${record.log})`);
    processes.push(record);
  };
  if (options.postgres) await timed("postgres", () => startPostgres(dir, join(logs, "postgres.log")));
  if (await redisReady()) throw new Error(`something already answers on Redis port ${PORTS.redis}: stop it or run bun run stack:down`);
  await timed("redis", () => startRedis(dir, join(logs, "redis.log")));
  if (await kafkaReady()) throw new Error(`a Kafka broker already answers on port ${PORTS.kafka}`);
  await timed("kafka", () => startKafka(dir, libs, join(logs, "kafka.log")));
  if (await schedulerReady()) throw new Error(`a Scheduler already answers on port ${PORTS.schedulerHealthz}`);
  await timed("scheduler", () => startScheduler(dir, binaries.scheduler, join(logs, "scheduler.log")));
  return { binaries: { ...binaries, kafkaLibs: libs }, processes };
}

/** Fails fast, naming the port, when something (often a stack left running) already listens there. */
function assertPortsFree(ports: number[]): void {
  const taken = ports.filter((port) => {
    try {
      Bun.listen({ hostname: "0.0.0.0", port, socket: { data() {} } }).stop(true);
      return false;
    } catch {
      return true;
    }
  });
  if (taken.length > 0) throw new Error(`ports ${taken.join(", ")} are in use (a stack left running? bun run stack:down, or see ss -ltnp)`);
}

export async function startStack(): Promise<StackState> {
  if (readStack()) throw new Error(`a stack is already up (${CURRENT}); bun run stack:down first`);
  assertPortsFree([
    ...Object.values(PORTS),
    ...SERVICES.flatMap((service) => Object.values(servicePorts(service))),
  ]);
  const began = performance.now();
  const dir = join(STACK_ROOT, `run-${new Date().toISOString().replace(/[:.]/g, "-")}`);
  mkdirSync(dir, { recursive: true });
  if (existsSync(CURRENT)) unlinkSync(CURRENT);
  symlinkSync(dir, CURRENT);
  log(`state dir ${dir}`);

  // Its own PostgreSQL unless told otherwise: the fault tests kill and restart it.
  const serverUrl = process.env.STACK_DATABASE_URL || undefined;
  const infra = await startInfra(dir, { postgres: !serverUrl });
  const state: StackState = {
    dir,
    startedAt: new Date().toISOString(),
    databaseUrl: "",
    ownsDatabaseServer: !serverUrl,
    daprApiToken: token(),
    appApiToken: token(),
    adminToken: token(),
    binaries: infra.binaries,
    resourcesDir: "",
    processes: infra.processes,
    urls: Object.fromEntries(SERVICES.map((service) => [service, `http://127.0.0.1:${servicePorts(service).app}`])) as Record<ServiceName, string>,
  };
  saveStack(state);
  try {
    const database = `realstack_${Date.now().toString(36)}`;
    state.databaseUrl = await createDatabase(serverUrl ?? `postgres://todo@127.0.0.1:${PORTS.postgres}/postgres`, database);
    const secretsFile = join(dir, "secrets.json");
    writeFileSync(secretsFile, JSON.stringify({ "jwt-secret": token(), "admin-token": state.adminToken }), { mode: 0o600 });
    state.resourcesDir = writeResources(dir, secretsFile);
    saveStack(state);
    // chat-api first: it applies the migrations audit relies on.
    for (const service of SERVICES) {
      const started = performance.now();
      const records = await startService(state, service);
      state.processes.push(...records);
      saveStack(state);
      log(`${service} ready in ${Math.round(performance.now() - started)} ms (logs ${records.map((r) => r.log).join(", ")})`);
    }
  } catch (error) {
    await stopStack(state);
    throw error;
  }
  log(`up in ${Math.round(performance.now() - began)} ms`);
  return state;
}

/** Spec of a service process (Bun, services/<name>/src/main.ts) next to its daprd. */
export function serviceSpec(state: StackState, service: ServiceName) {
  const ports = servicePorts(service);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/root",
    PORT: String(ports.app),
    DAPR_HTTP_PORT: String(ports.daprHttp),
    DAPR_API_TOKEN: state.daprApiToken,
    APP_API_TOKEN: state.appApiToken,
    DATA_DIR: join(state.dir, "data", service),
    LOG_LEVEL: "info",
    // The fault-injection stream writes faster than a person; the limit is not under test here.
    WRITES_PER_MINUTE: "100000",
  };
  if (service === "chat-api" || service === "audit") env.DATABASE_URL = state.databaseUrl;
  return { name: service, argv: [process.execPath, join(REPO_ROOT, `services/${service}/src/main.ts`)], env, cwd: REPO_ROOT, log: join(state.dir, "logs", `${service}.log`) };
}

export function sidecarSpec(state: StackState, service: ServiceName) {
  const ports = servicePorts(service);
  return daprdSpec({
    daprd: state.binaries.daprd,
    appId: service,
    // audit's daprd reaches it through the delivery gate, which the slow-consumer fault closes.
    appPort: service === "audit" ? PORTS.auditGate : ports.app,
    httpPort: ports.daprHttp,
    grpcPort: ports.daprGrpc,
    internalGrpcPort: ports.daprInternalGrpc,
    metricsPort: ports.daprMetrics,
    resourcesDir: state.resourcesDir,
    configFile: join(REPO_ROOT, "dapr/config.yaml"),
    daprApiToken: state.daprApiToken,
    appApiToken: state.appApiToken,
    appHealthCheck: true,
    log: join(state.dir, "logs", `daprd-${service}.log`),
  });
}

export async function serviceReady(service: ServiceName): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${servicePorts(service).app}/readyz`).catch(() => undefined);
  return response?.status === 200;
}

/** The delivery gate in front of audit (delivery-gate.ts). */
export function gateSpec(state: StackState) {
  return {
    name: "audit-gate",
    argv: [process.execPath, join(REPO_ROOT, "tests/stack/delivery-gate.ts")],
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", GATE_PORT: String(PORTS.auditGate), GATE_TARGET: `http://127.0.0.1:${servicePorts("audit").app}` },
    cwd: REPO_ROOT,
    log: join(state.dir, "logs", "audit-gate.log"),
  };
}

export async function gateReady(): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${PORTS.auditGate}/__gate`).catch(() => undefined);
  return response?.status === 200;
}

/** daprd and the app start together: daprd waits for the app port, the app for daprd's outbound health. */
async function startService(state: StackState, service: ServiceName): Promise<ProcessRecord[]> {
  mkdirSync(join(state.dir, "data", service), { recursive: true });
  const gate = service === "audit" ? [await startAndWait(gateSpec(state), gateReady)] : [];
  const sidecar = startDetached(sidecarSpec(state, service));
  try {
    const app = await startAndWait(serviceSpec(state, service), async () => (await serviceReady(service)) && (await daprdHealthy(servicePorts(service).daprHttp)));
    return [...gate, sidecar, app];
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- ${sidecar.log} ---\n${await tailOf(sidecar.log)}`);
  }
}

/** Restarts one recorded process with the same command line and waits until `ready`. */
export async function restartProcess(state: StackState, name: string, ready: () => Promise<boolean>): Promise<ProcessRecord> {
  const old = processOf(state, name);
  if (isAlive(old.pid)) await stopProcess(old.pid, "SIGKILL");
  const { pid: _pid, ...spec } = old;
  const record = await startAndWait(spec, ready);
  state.processes = state.processes.map((process) => (process.name === name ? record : process));
  saveStack(state);
  return record;
}

/** Kills every process the stack started, apps first, infrastructure last; drops its database. */
export async function stopStack(state: StackState): Promise<void> {
  for (const record of [...state.processes].reverse()) {
    if (record.name === "postgres") continue;
    await stopProcess(record.pid, "SIGTERM", 10_000).catch(() => stopProcess(record.pid, "SIGKILL"));
  }
  if (state.databaseUrl && !state.ownsDatabaseServer) await dropDatabase(state.databaseUrl).catch((error) => log(`could not drop the database: ${error}`));
  const postgres = state.processes.find((record) => record.name === "postgres");
  if (postgres) await stopPostgres(state.dir, postgres);
  if (existsSync(CURRENT)) unlinkSync(CURRENT);
  // Data goes; the logs stay for a look after a failed run (the next stack:up uses a new dir).
  if (existsSync(state.dir)) {
    for (const entry of readdirSync(state.dir)) if (entry !== "logs") rmSync(join(state.dir, entry), { recursive: true, force: true });
  }
}

/** runuser may have left the postmaster as its child: stop the postmaster by its pid file. */
async function stopPostgres(dir: string, record: ProcessRecord): Promise<void> {
  const pidFile = join(dir, "postgres", "postmaster.pid");
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").split("\n")[0]) : NaN;
  if (Number.isInteger(pid) && pid > 0) await stopProcess(pid, "SIGINT", 15_000);
  await stopProcess(record.pid, "SIGTERM", 5_000);
  await waitFor(() => !existsSync(pidFile) || !isAlive(pid), { timeoutMs: 15_000, message: "postgres to stop" });
}
