import { CloudEvent } from "cloudevents";

export const cloudEventContentType = "application/cloudevents+json";

export interface EncodedEvent {
  body: BodyInit;
  contentType: string;
}

/** A CloudEvent instance, or a plain object already shaped as one. */
export function isCloudEvent(data: unknown): boolean {
  if (data instanceof CloudEvent) return true;
  return typeof data === "object" && data !== null && typeof (data as { specversion?: unknown }).specversion === "string";
}

/**
 * The body and Content-Type for a publish. The content type decides what daprd
 * puts in the envelope: application/cloudevents+json keeps our own id, type,
 * source and time (daprd would otherwise wrap the body in a new event);
 * application/json gives structured `data`; anything else becomes a string.
 */
export function encodeEvent(data: unknown, contentType?: string): EncodedEvent {
  if (typeof data === "string") return { body: data, contentType: contentType ?? "text/plain" };
  if (data instanceof Uint8Array) return { body: data as Uint8Array<ArrayBuffer>, contentType: contentType ?? "application/octet-stream" };
  if (isCloudEvent(data)) return { body: JSON.stringify(data), contentType: contentType ?? cloudEventContentType };
  return { body: JSON.stringify(data ?? null), contentType: contentType ?? "application/json" };
}

/** Bulk entries carry the event as JSON; daprd needs each entry's content type to decode it. */
export function defaultEntryContentType(event: unknown): string {
  if (typeof event === "string") return "text/plain";
  return isCloudEvent(event) ? cloudEventContentType : "application/json";
}
