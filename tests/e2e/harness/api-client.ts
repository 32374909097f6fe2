import type { Task } from "@todo/common";
import type { SystemUrls } from "./system-under-test.ts";

/** A signed-up user as a browser holds it: the bearer token and the id events carry as data.userId. */
export interface TestUser {
  token: string;
  userId: string;
  email: string;
}

/** One row of GET /api/audit, as the audit contract of issue 5 describes it. */
export interface AuditItem {
  eventId: string;
  type: string;
  topic: string;
  taskId: string | null;
  userId: string;
  time: string;
  recordedAt: string;
  event: { id: string; type: string; subject?: string; data: Record<string, unknown> } & Record<string, unknown>;
}

export interface AuditGaps {
  missing: { eventId: string; type: string; topic: string; createdAt: string }[];
  checked: number;
}

export type TaskFields = Partial<Pick<Task, "title" | "description" | "priority" | "tags" | "dueAt" | "remindAt" | "recurrence">>;

/**
 * The public REST surface (chat-api, audit, metrics) of one running system, as
 * a client uses it: one base URL (bun start), or one per service (the real stack).
 */
export function apiClient(base: string | SystemUrls) {
  const urls: SystemUrls = typeof base === "string" ? { api: base, audit: base, ws: base, metrics: () => base } : base;
  async function call<T>(method: string, path: string, options: { token?: string; body?: unknown; expect?: number[] } = {}): Promise<T> {
    const baseUrl = path.startsWith("/api/audit") ? urls.audit : urls.api;
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const expected = options.expect ?? [200, 201, 204];
    if (!expected.includes(response.status)) {
      throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    }
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  return {
    /** Set on the real stack: see SystemUrls.consumerCaughtUp. */
    consumerCaughtUp: urls.consumerCaughtUp,

    async signup(label: string): Promise<TestUser> {
      const email = `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
      const credentials = { email, password: "correct horse battery staple" };
      await call("POST", "/api/auth/signup", { body: credentials, expect: [202] });
      const session = await call<{ token: string; user: { id: string } }>("POST", "/api/auth/login", { body: credentials });
      return { token: session.token, userId: session.user.id, email };
    },

    createTask: (user: TestUser, fields: TaskFields & { title: string }) =>
      call<Task>("POST", "/api/tasks", { token: user.token, body: fields }),
    updateTask: (user: TestUser, id: string, fields: TaskFields) =>
      call<Task>("PATCH", `/api/tasks/${id}`, { token: user.token, body: fields }),
    completeTask: (user: TestUser, id: string) => call<Task>("POST", `/api/tasks/${id}/complete`, { token: user.token }),
    deleteTask: (user: TestUser, id: string) => call<void>("DELETE", `/api/tasks/${id}`, { token: user.token }),

    /** Every task of the user in the given status, following the cursor to the last page. */
    async listTasks(user: TestUser, status: "pending" | "completed" | "all" = "all"): Promise<Task[]> {
      const tasks: Task[] = [];
      let cursor: string | null = null;
      do {
        const query = new URLSearchParams({ status, limit: "100" });
        if (cursor) query.set("cursor", cursor);
        const page: { items: Task[]; nextCursor: string | null } = await call("GET", `/api/tasks?${query}`, { token: user.token });
        tasks.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return tasks;
    },

    /** The user's whole audit trail matching the filters, in recorded order (every page). */
    async auditTrail(user: TestUser, filters: { taskId?: string; type?: string } = {}): Promise<AuditItem[]> {
      const items: AuditItem[] = [];
      let after: string | null = null;
      do {
        const query = new URLSearchParams({ ...filters, limit: "500" });
        if (after) query.set("after", after);
        const page: { items: AuditItem[]; next: string | null } = await call("GET", `/api/audit?${query}`, { token: user.token });
        items.push(...page.items);
        after = page.next;
      } while (after);
      return items;
    },

    auditGaps: (adminToken: string, graceSeconds = 0) =>
      call<AuditGaps>("GET", `/api/audit/gaps?graceSeconds=${graceSeconds}`, { token: adminToken }),

    /** Sum of a Prometheus counter's samples whose labels include `labels` (0 when none yet). */
    async counter(name: string, labels: Record<string, string>): Promise<number> {
      const text = await (await fetch(`${urls.metrics(labels.service ?? "chat-api")}/metrics`)).text();
      let sum = 0;
      for (const line of text.split("\n")) {
        const match = line.match(/^([a-zA-Z_:][\w:]*)\{([^}]*)\} (\S+)$/);
        if (!match || match[1] !== name) continue;
        const sample = Object.fromEntries([...match[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
        if (Object.entries(labels).every(([key, value]) => sample[key] === value)) sum += Number(match[3]);
      }
      return sum;
    },
  };
}

export type ApiClient = ReturnType<typeof apiClient>;
