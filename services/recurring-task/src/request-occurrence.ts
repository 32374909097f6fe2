import type { DaprClient, Task } from "@todo/common";
import type { OccurrenceDraft } from "./next-occurrence.ts";

export type OccurrenceAnswer =
  /** `existing`: the slot was filled before (a redelivery, or a race with another replica). */
  | { outcome: "created" | "existing"; task: Task }
  /** chat-api does not know the series (or not for this user): nothing left to continue. */
  | { outcome: "series-not-found" }
  /** chat-api refused the draft: retrying the same request cannot help. */
  | { outcome: "rejected"; status: number; reason: string };

/** Statuses that say "try again later" although they are 4xx. */
const TRANSIENT_CLIENT_ERRORS = new Set([408, 425, 429]);

/**
 * Asks chat-api, through Dapr service invocation, to create occurrence N of a
 * series. Its route is idempotent on (seriesId, occurrence): 201 created,
 * 200 already there. Throws when a retry may succeed (no answer, 5xx), so the
 * delivery is retried.
 */
export async function requestOccurrence(
  dapr: DaprClient,
  draft: OccurrenceDraft,
  options: { traceparent?: string } = {},
): Promise<OccurrenceAnswer> {
  const { seriesId, ...body } = draft;
  const response = await dapr.invoke("chat-api", `internal/series/${encodeURIComponent(seriesId)}/occurrences`, {
    method: "POST",
    body,
    headers: options.traceparent ? { traceparent: options.traceparent } : {},
  });
  if (response.status === 200 || response.status === 201) {
    const answer = (await response.json()) as { task?: Task };
    if (typeof answer.task?.id !== "string") throw new Error(`chat-api answered ${response.status} without the task`);
    return { outcome: response.status === 201 ? "created" : "existing", task: answer.task };
  }
  const reason = await errorMessage(response);
  if (response.status === 404) return { outcome: "series-not-found" };
  if (response.status >= 400 && response.status < 500 && !TRANSIENT_CLIENT_ERRORS.has(response.status)) {
    return { outcome: "rejected", status: response.status, reason };
  }
  throw new Error(`chat-api answered ${response.status} creating occurrence ${draft.occurrence} of series ${seriesId}: ${reason}`);
}

/** chat-api's `{ error: { message } }`, daprd's `{ message }`, or the raw text. */
async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown }; message?: unknown };
    const message = body.error?.message ?? body.message;
    if (typeof message === "string") return message;
  } catch {
    // not JSON: the text says it
  }
  return text.slice(0, 200) || `HTTP ${response.status}`;
}
