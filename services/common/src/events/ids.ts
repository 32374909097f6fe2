import { createHash } from "node:crypto";

/**
 * A UUID-shaped event id derived from what makes a fact unique (e.g.
 * "recurrence", seriesId, occurrence), for facts that may be published more
 * than once (redelivered input, a re-fired job): every publication carries the
 * same id, so consumers that de-duplicate by event id see it once.
 *
 * RFC 9562 version 8 (custom) layout over the first 16 bytes of a SHA-256.
 * Parts are length-prefixed before hashing so ("ab", "c") and ("a", "bc")
 * differ. Unlike buildEvent's default UUIDv7 these ids are not time-ordered.
 */
export function deterministicEventId(...parts: string[]): string {
  if (parts.length === 0) throw new Error("deterministicEventId needs at least one part");
  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${part.length}:${part};`);
  const bytes = hash.digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
