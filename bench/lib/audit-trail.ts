import type { BenchUser } from "./users.ts";

/** One row of GET /api/audit, as far as the scenarios read it. */
export interface AuditItem {
  type: string;
  taskId: string | null;
  event: { data: Record<string, unknown> };
}

/** Every item of these users' audit trails (optionally of one event type), page by page, a few users at a time. */
export async function forEachAuditItem(
  auditUrl: string,
  users: BenchUser[],
  filter: { type?: string },
  visit: (item: AuditItem) => void,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < users.length) {
      const user = users[next++] as BenchUser;
      let after: string | null = null;
      do {
        const query = new URLSearchParams({ ...filter, limit: "500", ...(after ? { after } : {}) });
        const response = await fetch(`${auditUrl}/api/audit?${query}`, { headers: { authorization: `Bearer ${user.token}` } });
        if (!response.ok) throw new Error(`GET /api/audit answered ${response.status}`);
        const page = (await response.json()) as { items: AuditItem[]; next: string | null };
        page.items.forEach(visit);
        after = page.next;
      } while (after);
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
}
