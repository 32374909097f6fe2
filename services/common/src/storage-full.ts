/**
 * A write refused because the disk under the data is full: PostgreSQL and
 * PGlite ("could not extend file …: No space left on device", SQLSTATE 53100
 * disk_full), SQLite ("database or disk is full", SQLITE_FULL), a plain file
 * write (ENOSPC), or the embedded Dapr state store passing one of these on.
 * Nothing was written, and it may work once space returns: 503, not 500.
 */
const STORAGE_FULL = /no space left on device|database or disk is full|\bENOSPC\b|SQLITE_FULL/i;
const DISK_FULL_SQLSTATE = "53100";

export const STORAGE_FULL_MESSAGE = "the server has no disk space left; the change was not saved (retry once space is freed)";
/** Seconds a client waits before trying again. */
export const STORAGE_FULL_RETRY_AFTER_S = 30;

export function isStorageFull(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    const code = (cause as { code?: unknown; errno?: unknown }).code;
    if (code === DISK_FULL_SQLSTATE || code === "ENOSPC" || code === "SQLITE_FULL") return true;
    if (STORAGE_FULL.test(cause.message)) return true;
  }
  return false;
}
