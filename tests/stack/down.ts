/** bun run stack:down: kills every process stack:up started (pids from stack.json). */
import { readStackFile, stopStack } from "./stack.ts";

// A half-dead stack (some processes gone) is stopped too.
const state = readStackFile();
if (!state) {
  console.log("no stack is up");
} else {
  await stopStack(state);
  console.log(`stopped the stack of ${state.dir}`);
}
