/**
 * Picks the sidecar implementation under test from DAPR_CONFORMANCE_TARGET
 * (default `embedded`).
 */
import { createEmbeddedTarget } from "./embedded-target.ts";
import type { SidecarTarget } from "./sidecar-target.ts";

export function selectTarget(env: Record<string, string | undefined> = process.env): SidecarTarget {
  const name = env.DAPR_CONFORMANCE_TARGET ?? "embedded";
  switch (name) {
    case "embedded":
      return createEmbeddedTarget();
    // ── daprd target: plug in here ──────────────────────────────────────────
    // A later issue adds harness/daprd-target.ts exporting createDaprdTarget():
    // it writes components (pubsub.kafka `pubsub`, state.redis `statestore`,
    // a secret store `secretstore` holding `conformance-secret`) and a
    // Resiliency with a quick inbound retry policy into a resources dir, then
    // starts `daprd --app-id --app-port --dapr-http-port --resources-path ...
    // --scheduler-host-address ...` per sidecar. See README.md, "Targets".
    //   case "daprd":
    //     return createDaprdTarget();
    default:
      throw new Error(`unknown DAPR_CONFORMANCE_TARGET "${name}" (known: embedded)`);
  }
}
