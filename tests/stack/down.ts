/** bun run stack:down: kills every process stack:up started (pids from stack.json). */
import { readStack, stopStack } from "./stack.ts";
import { CURRENT } from "./layout.ts";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { StackState } from "./layout.ts";

// A half-dead stack (some processes gone) is still stopped: read the file even when readStack() says none is up.
const file = join(CURRENT, "stack.json");
const state = readStack() ?? (existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as StackState) : undefined);
if (!state) {
  console.log("no stack is up");
} else {
  await stopStack(state);
  console.log(`stopped the stack of ${state.dir}`);
}
