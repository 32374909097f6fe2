/** What the harness asks the running system, through its public surface only. */

/** chat-api's unpublished outbox events (`outbox_pending_events` on /metrics); undefined when not exported. */
export async function outboxPending(baseUrl: string): Promise<number | undefined> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const match = text.match(/^outbox_pending_events(?:\{[^}]*\})? (\S+)$/m);
  return match ? Number(match[1]) : undefined;
}

/** Published events missing from the audit trail (capped at 1000 listed) and published events checked. */
export async function auditGaps(baseUrl: string, adminToken: string): Promise<{ missing: number; checked: number }> {
  const response = await fetch(`${baseUrl}/api/audit/gaps?graceSeconds=0`, { headers: { authorization: `Bearer ${adminToken}` } });
  if (!response.ok) throw new Error(`GET /api/audit/gaps answered ${response.status}`);
  const body = (await response.json()) as { missing: unknown[]; checked: number };
  return { missing: body.missing.length, checked: body.checked };
}

export async function isReady(baseUrl: string): Promise<boolean> {
  return await fetch(`${baseUrl}/readyz`)
    .then((response) => response.ok)
    .catch(() => false);
}

/** Polls until `condition` holds; resolves with the ms it took, or undefined past the deadline. */
export async function timeUntil(condition: () => Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<number | undefined> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await condition().catch(() => false)) return performance.now() - started;
    await Bun.sleep(intervalMs);
  }
  return undefined;
}

/**
 * The pipeline is drained when the outbox has nothing left to publish and
 * every published event is in the audit trail (audit is the last consumer
 * to write, and its gap report compares it with the outbox).
 */
export async function pipelineDrained(baseUrl: string, adminToken: string): Promise<boolean> {
  if (((await outboxPending(baseUrl)) ?? 0) > 0) return false;
  return (await auditGaps(baseUrl, adminToken)).missing === 0;
}
