import { AppError } from "@todo/common";

/**
 * The task version an `If-Match` header names. Our ETag is the version in
 * quotes (`"3"`); the bare number is accepted too. `*` matches any existing
 * task, as RFC 9110 says, so it asks for no version. Anything else is a 400:
 * a client that meant to guard its write must not have it go through
 * unguarded.
 */
export function expectedVersionOf(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === "*") return undefined;
  const match = /^(?:"(\d{1,9})"|(\d{1,9}))$/.exec(value);
  const version = Number(match?.[1] ?? match?.[2]);
  if (!match || version < 1) {
    throw new AppError(400, "invalid_if_match", 'If-Match must be the task version as its ETag, e.g. "3"', [
      { path: "/headers/if-match", message: "expected a quoted version number" },
    ]);
  }
  return version;
}

/** The ETag of a task version (what If-Match sends back). */
export const etagOf = (version: number) => `"${version}"`;
