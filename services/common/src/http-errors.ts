import { Elysia } from "elysia";
import type { Logger } from "./logger.ts";
import { DATABASE_UNAVAILABLE_MESSAGE, DATABASE_UNAVAILABLE_RETRY_AFTER_S, isDatabaseUnavailable } from "./database-unavailable.ts";
import { isStorageFull, STORAGE_FULL_MESSAGE, STORAGE_FULL_RETRY_AFTER_S } from "./storage-full.ts";

/**
 * The one error type routes throw; `httpErrors` turns it (and Elysia's own
 * validation and parse errors) into `{ error: { code, message, details? } }`.
 */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what = "resource") => new AppError(404, "not_found", `${what} not found`);
export const unauthorized = (message = "authentication required") => new AppError(401, "unauthorized", message);

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function httpErrors(logger: Logger) {
  return new Elysia({ name: "http-errors" }).onError({ as: "global" }, ({ code, error, set, request }) => {
    if (error instanceof AppError) {
      set.status = error.status;
      if (error.headers) Object.assign(set.headers, error.headers);
      return errorBody(error.code, error.message, error.details);
    }
    switch (code) {
      case "VALIDATION": {
        set.status = 400;
        const issues = error.all.map((issue) => ({
          path: "path" in issue ? issue.path : undefined,
          message: issue.summary ?? issue.message,
        }));
        return errorBody("invalid_request", issues[0]?.message ?? "invalid request", issues);
      }
      case "PARSE":
        set.status = 400;
        return errorBody("invalid_body", "request body is not valid JSON");
      case "NOT_FOUND":
        set.status = 404;
        return errorBody("not_found", "no such route");
      case "INVALID_COOKIE_SIGNATURE":
      case "INVALID_FILE_TYPE":
        set.status = 400;
        return errorBody("invalid_request", String(error.message));
      default:
        if (isBrokenValidationError(error)) {
          set.status = 400;
          return errorBody("invalid_request", "request does not match the schema");
        }
        if (isStorageFull(error)) {
          logger.error("a write failed: the disk is full", { error, method: request.method, url: request.url });
          set.status = 503;
          set.headers["retry-after"] = String(STORAGE_FULL_RETRY_AFTER_S);
          return errorBody("storage_full", STORAGE_FULL_MESSAGE);
        }
        if (isDatabaseUnavailable(error)) {
          logger.warn("a request failed: the database is unavailable", { error, method: request.method, url: request.url });
          set.status = 503;
          set.headers["retry-after"] = String(DATABASE_UNAVAILABLE_RETRY_AFTER_S);
          return errorBody("database_unavailable", DATABASE_UNAVAILABLE_MESSAGE);
        }
        logger.error("unhandled error", { error, method: request.method, url: request.url });
        set.status = 500;
        return errorBody("internal", "internal error");
    }
  });
}

/**
 * Elysia builds its validation error by stringifying the rejected value; a
 * body like `{"title": {"toString": 0}}` makes that throw a TypeError inside
 * ValidationError's constructor. The request was invalid all the same: 400.
 */
function isBrokenValidationError(error: unknown): boolean {
  return error instanceof TypeError && (error.stack ?? "").includes("ValidationError");
}
