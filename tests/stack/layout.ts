/**
 * Where the real stack lives on this machine: fixed ports (the components in
 * dapr/ name 127.0.0.1:9092 and 127.0.0.1:6379), one state dir per run under
 * /tmp, and `current` pointing at the running one. REALSTACK_PORT_OFFSET
 * shifts every port (components rewritten to match), so a second stack on
 * the same machine, with its own REALSTACK_DIR, does not collide.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ProcessRecord } from "./processes.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const STACK_ROOT = process.env.REALSTACK_DIR ?? "/tmp/realstack";
/** Symlink to the state dir of the stack that is up. */
export const CURRENT = join(STACK_ROOT, "current");
export const CACHE_DIR = process.env.REALSTACK_CACHE ?? join(process.env.HOME ?? "/root", ".cache/realstack");

const PORT_OFFSET = portOffset(process.env.REALSTACK_PORT_OFFSET);

function portOffset(value: string | undefined): number {
  if (value === undefined || value === "") return 0;
  const offset = Number(value);
  // 59091 (the highest port) + offset must stay a valid port.
  if (!Number.isInteger(offset) || offset < 0 || offset > 6000) throw new Error(`REALSTACK_PORT_OFFSET must be an integer 0-6000, not ${value}`);
  return offset;
}

const shifted = <T extends Record<string, number>>(ports: T) =>
  Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, port + PORT_OFFSET])) as { readonly [K in keyof T]: number };

export const PORTS = shifted({
  postgres: 54390,
  redis: 6379,
  kafka: 9092,
  kafkaController: 9093,
  scheduler: 50006,
  schedulerHealthz: 58081,
  schedulerMetrics: 59091,
  etcdClient: 2379,
  etcdPeer: 2380,
  /** The delivery gate in front of audit (harness/delivery-gate.ts): daprd-audit's app port. */
  auditGate: 4121,
});

export const SERVICES = ["chat-api", "audit", "notification", "recurring-task", "websocket"] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Ports of one service and its daprd, from a block per service (4101.., 3511..). */
export function servicePorts(service: ServiceName) {
  const index = SERVICES.indexOf(service);
  return shifted({
    app: 4101 + index,
    daprHttp: 3511 + index,
    daprGrpc: 50111 + index,
    daprInternalGrpc: 50121 + index,
    daprMetrics: 9111 + index,
  });
}

export const KAFKA_VERSION = "3.9.1";

/** What stack:up writes to <state dir>/stack.json: everything tests and stack:down need. */
export interface StackState {
  dir: string;
  startedAt: string;
  databaseUrl: string;
  /** Created by stack:up on an existing server (drop it on stack:down), or a throwaway server's. */
  ownsDatabaseServer: boolean;
  daprApiToken: string;
  appApiToken: string;
  adminToken: string;
  binaries: { daprd: string; scheduler: string; kafkaLibs: string };
  resourcesDir: string;
  processes: ProcessRecord[];
  /** Public entry points: chat-api (REST + /mcp), audit (its REST API) and websocket (/ws). */
  urls: Record<ServiceName, string>;
}
