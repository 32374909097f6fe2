/** What the harness asks the running system, through its public surface only. */
import type { System } from "./system.ts";

/** chat-api's unpublished outbox events (`outbox_pending_events` on /metrics); undefined when not exported. */
export async function outboxPending(system: System): Promise<number | undefined> {
  const text = await (await fetch(`${system.urls.chatApiMetrics}/metrics`)).text();
  const match = text.match(/^outbox_pending_events(?:\{[^}]*\})? (\S+)$/m);
  return match ? Number(match[1]) : undefined;
}

/** Published events missing from the audit trail (capped at 1000 listed) and published events checked. */
export async function auditGaps(system: System): Promise<{ missing: number; checked: number }> {
  const response = await fetch(`${system.urls.audit}/api/audit/gaps?graceSeconds=0`, {
    headers: { authorization: `Bearer ${system.adminToken}` },
  });
  if (!response.ok) throw new Error(`GET /api/audit/gaps answered ${response.status}`);
  const body = (await response.json()) as { missing: unknown[]; checked: number };
  return { missing: body.missing.length, checked: body.checked };
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
export async function pipelineDrained(system: System): Promise<boolean> {
  if (((await outboxPending(system)) ?? 0) > 0) return false;
  return (await auditGaps(system)).missing === 0;
}
