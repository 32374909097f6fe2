export { createDaprClient } from "./client.ts";
export {
  DaprError,
  DaprNotFoundError,
  DaprUnauthorizedError,
  DaprUnavailableError,
  EtagMismatchError,
  isJobNotFound,
  type DaprOperation,
} from "./errors.ts";
export type * from "./types.ts";
