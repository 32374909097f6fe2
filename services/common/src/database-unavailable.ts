/**
 * A query that failed because the database server is not there right now:
 * refused or dropped connections (a restart, a failover) and the server's
 * own "shutting down / starting up" answers (SQLSTATE class 57P). Nothing was
 * committed, and a retry shortly after may work: 503, not 500.
 */
const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED", "CONNECT_TIMEOUT"]);
/** admin_shutdown, crash_shutdown, cannot_connect_now. */
const SERVER_GOING_AWAY = new Set(["57P01", "57P02", "57P03"]);

export const DATABASE_UNAVAILABLE_MESSAGE = "the database is unavailable right now; the change was not saved (retry in a few seconds)";
export const DATABASE_UNAVAILABLE_RETRY_AFTER_S = 5;

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && (CONNECTION_CODES.has(code) || SERVER_GOING_AWAY.has(code))) return true;
  }
  return false;
}
