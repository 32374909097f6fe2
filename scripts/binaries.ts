import { join } from "node:path";

/**
 * Every program that ships as its own container image, and where its
 * main.ts is. The chart runs one Deployment per entry (plus the smoke test
 * as the `helm test` hook), so adding a service means adding it here and in
 * chart/values.yaml.
 */
export interface Binary {
  name: string;
  entry: string;
}

const root = join(import.meta.dir, "..");

export const binaries: Binary[] = [
  { name: "chat-api", entry: "services/chat-api/src/main.ts" },
  { name: "audit", entry: "services/audit/src/main.ts" },
  { name: "notification", entry: "services/notification/src/main.ts" },
  { name: "recurring-task", entry: "services/recurring-task/src/main.ts" },
  { name: "websocket", entry: "services/websocket/src/main.ts" },
  // The site's static server (site/dist next to it in the image).
  { name: "site", entry: "services/embedded/src/site-main.ts" },
  // The end-to-end smoke test, run by `helm test` and the deploy workflows.
  { name: "smoke", entry: "scripts/smoke.ts" },
].map((binary) => ({ ...binary, entry: join(root, binary.entry) }));

/** Targets `bun build --compile` accepts that our images and CI use. */
export const TARGETS = ["bun-linux-x64", "bun-linux-arm64", "bun-linux-x64-baseline"] as const;
export type Target = (typeof TARGETS)[number];
