import type { AppChannel } from "../app-channel.ts";

export type TriggerOutcome = { ok: true; status: number } | { ok: false; reason: string };

/**
 * Delivers one job trigger the way daprd does: POST /job/{name} with
 * `Content-Type: application/json` and the job's data JSON as the body (empty
 * when the job has none). 2xx is done and so is 404 (the app has no handler:
 * retrying cannot help); any other status, a thrown call or no reply within
 * `timeoutMs` is a failure for the job's failure policy.
 */
export async function triggerJob(
  channel: AppChannel | undefined,
  name: string,
  dataJson: string | undefined,
  timeoutMs: number,
): Promise<TriggerOutcome> {
  if (!channel) return { ok: false, reason: "no app channel" };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<TriggerOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `no reply within ${timeoutMs} ms` }), timeoutMs);
  });
  const call = (async (): Promise<TriggerOutcome> => {
    const response = await channel.call(`/job/${name}`, {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: newTraceparent() },
      body: dataJson ?? "",
    });
    // The reply body is not used; release it.
    await response.body?.cancel().catch(() => {});
    const done = (response.status >= 200 && response.status < 300) || response.status === 404;
    return done ? { ok: true, status: response.status } : { ok: false, reason: `app answered ${response.status}` };
  })().catch((error: unknown): TriggerOutcome => ({
    ok: false,
    reason: error instanceof Error ? error.message : String(error),
  }));
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A fresh W3C trace context for the trigger, as daprd sends one with every app call. */
function newTraceparent(): string {
  const hex = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");
  return `00-${hex(16)}-${hex(8)}-01`;
}
