import type { LoggedMessage } from "./message-log.ts";

/**
 * One delivery of a logged event to a subscriber, as daprd's HTTP postman
 * does it, and the reading of the app's answer (dapr-http-contract.md §2).
 */
export type AppVerdict =
  | { kind: "success" }
  | { kind: "retry"; reason: string }
  /** DROP, or 404 (daprd 1.17+ treats it like DROP): ack and dead-letter. */
  | { kind: "drop"; reason: string };

export function deliveryRequest(
  message: LoggedMessage,
  body: Uint8Array,
  event: Record<string, unknown>,
  signal: AbortSignal,
): RequestInit {
  const headers = new Headers();
  // The publisher's metadata travels as record headers on Kafka; keep that.
  for (const [name, value] of Object.entries(message.metadata)) trySet(headers, name, value);
  headers.set("content-type", "application/cloudevents+json");
  const traceparent = event.traceparent ?? event.traceid;
  if (typeof traceparent === "string" && traceparent !== "") headers.set("traceparent", traceparent);
  if (typeof event.tracestate === "string" && event.tracestate !== "") headers.set("tracestate", event.tracestate);
  if (message.key !== null) trySet(headers, "__key", message.key);
  headers.set("__topic", message.topic);
  headers.set("__partition", String(message.partition));
  headers.set("__offset", String(message.seq));
  headers.set("__timestamp", String(message.publishedAt));
  return { method: "POST", headers, body: body as Uint8Array<ArrayBuffer>, signal };
}

export async function readVerdict(response: Response): Promise<AppVerdict> {
  const text = await response.text().catch(() => "");
  if (response.status >= 200 && response.status <= 299) {
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      return { kind: "success" }; // empty or non-JSON body
    }
    const status = answer !== null && typeof answer === "object" ? (answer as { status?: unknown }).status : undefined;
    if (status === undefined || status === null || status === "" || status === "SUCCESS") return { kind: "success" };
    if (status === "DROP") return { kind: "drop", reason: "the app answered DROP" };
    if (status === "RETRY") return { kind: "retry", reason: "the app answered RETRY" };
    // Case-sensitive, as in daprd: "success" is an unknown status and retried.
    return { kind: "retry", reason: `the app answered an unknown status ${JSON.stringify(status)}` };
  }
  if (response.status === 404) return { kind: "drop", reason: "the app answered 404" };
  return { kind: "retry", reason: `the app answered HTTP ${response.status}` };
}

function trySet(headers: Headers, name: string, value: string) {
  try {
    headers.set(name, value);
  } catch {
    // Metadata that cannot be an HTTP header is left out, as Kafka clients would reject it.
  }
}
