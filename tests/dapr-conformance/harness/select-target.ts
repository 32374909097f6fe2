/**
 * Picks the sidecar implementation under test from DAPR_CONFORMANCE_TARGET
 * (default `embedded`).
 */
import { createDaprdTarget } from "./daprd-target.ts";
import { createEmbeddedTarget } from "./embedded-target.ts";
import type { SidecarTarget } from "./sidecar-target.ts";

export function selectTarget(env: Record<string, string | undefined> = process.env): SidecarTarget {
  const name = env.DAPR_CONFORMANCE_TARGET ?? "embedded";
  switch (name) {
    case "embedded":
      return createEmbeddedTarget();
    case "daprd":
      // A real daprd over the stack's Kafka, Redis and Scheduler (tests/stack).
      return createDaprdTarget();
    default:
      throw new Error(`unknown DAPR_CONFORMANCE_TARGET "${name}" (known: embedded, daprd)`);
  }
}
