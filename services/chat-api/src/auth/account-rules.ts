import { SINGLE_LINE_TEXT_PATTERN } from "@todo/common";

/** Pure rules for account input: what an email and a time zone must look like. */

export const MAX_EMAIL_LENGTH = 254; // RFC 5321 path limit
export const MIN_PASSWORD_LENGTH = 8;
// Argon2 cost grows with input; a cap keeps one request from buying minutes of CPU.
export const MAX_PASSWORD_LENGTH = 1024;
export const MAX_NAME_LENGTH = 100;
export const MAX_TIME_ZONE_LENGTH = 64;

const SINGLE_LINE = new RegExp(SINGLE_LINE_TEXT_PATTERN);

// Deliberately simple: one @, no whitespace or control characters, a dotted domain.
const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}.]+(\.[^\s@\p{Cc}.]+)+$/u;

/** The address as typed (trimmed) and the key that makes accounts case-insensitive. */
export function normaliseEmail(raw: string): { email: string; emailKey: string } | undefined {
  const email = raw.trim();
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email) || !isWellFormed(email)) return undefined;
  return { email, emailKey: emailKeyOf(email) };
}

/** Matches the users.email_key column: lower(trimmed email). */
export function emailKeyOf(raw: string): string {
  return raw.trim().toLowerCase();
}

/**
 * Text PostgreSQL can store and a person can read: no control characters (a
 * NUL byte is a database error, not a 4xx), no bidirectional overrides, and
 * no lone UTF-16 surrogates (they would be stored as U+FFFD, silently
 * changing the value).
 */
export function isPrintableText(text: string): boolean {
  return isWellFormed(text) && SINGLE_LINE.test(text);
}

// String.prototype.isWellFormed is ES2024, beyond the project's lib setting.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** A trimmed display name, or null when it is blank. */
export function normaliseName(raw: string | null | undefined): string | null {
  const name = raw?.trim() ?? "";
  return name === "" ? null : name;
}

/**
 * The canonical spelling of an IANA time zone ("europe/paris" -> "Europe/Paris"),
 * or undefined when Intl does not know it. Fixed offsets ("+05:00") are refused:
 * they are not IANA zones and cannot follow daylight-saving changes.
 */
export function canonicalTimeZone(raw: string): string | undefined {
  const zone = raw.trim();
  if (zone === "" || zone.length > MAX_TIME_ZONE_LENGTH || /^[+-]/.test(zone)) return undefined;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
