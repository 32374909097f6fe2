/** The embedded Dapr-compatible runtime, as the host and the test kit use it. */
export { createRuntime, type Runtime, type RuntimeOptions } from "./runtime.ts";
export { inProcessChannel, httpChannel, type AppChannel, type AppHandler } from "./app-channel.ts";
