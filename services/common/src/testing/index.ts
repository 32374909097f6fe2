/** Test helpers shared by every package's tests (not used at run time). */
export * from "./wait-for.ts";
export * from "./sample-events.ts";
export * from "../subscriptions/test-state.ts";
