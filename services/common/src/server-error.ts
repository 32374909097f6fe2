import { errorBody } from "./http-errors.ts";
import type { Logger } from "./logger.ts";

/**
 * Bun.serve options every listening port uses: no development error page
 * (it sends source and stack traces, 50 KB of them), and a plain JSON 500
 * when a handler throws outside the framework's own error mapping.
 */
export function serverErrorOptions(logger: Logger) {
  return {
    development: false,
    error(error: Error): Response {
      logger.error("request failed outside the app", { error });
      return Response.json(errorBody("internal", "internal error"), { status: 500 });
    },
  };
}
