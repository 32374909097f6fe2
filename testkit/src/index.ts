/** Test support shared by every package's tests (a devDependency; never imported at run time). */
export * from "./wait-for.ts";
export * from "./sample-events.ts";
export * from "./memory-state.ts";
export * from "./runtime-fixture.ts";
export * from "./service-deps.ts";
// Service tests register their app on a fixture runtime the way the embedded host does.
export { inProcessChannel, type Runtime } from "@todo/embedded/runtime";
