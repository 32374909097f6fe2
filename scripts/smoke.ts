#!/usr/bin/env bun
/**
 * End-to-end smoke test against a running system, through its public
 * surfaces only: sign up, open a WebSocket, create a task, read it back, see
 * it in the audit trail and on the socket. Works against `bun start`, an
 * Ingress, or (as the `helm test` hook) the in-cluster Services.
 *
 *   bun scripts/smoke.ts https://todo.example.com
 *
 * Env (all optional): SMOKE_BASE_URL (instead of the argument),
 * SMOKE_AUDIT_URL and SMOKE_WS_URL (when /api/audit and /ws are not behind
 * the base URL), SMOKE_READY_URLS (comma-separated service URLs whose
 * /readyz must answer 200 first), SMOKE_TIMEOUT_MS (per step, default 30000).
 */
import { waitFor } from "@todo/testkit";
import { aboutTask, openTab } from "@todo/testkit/browser-tab";

export interface SmokeOptions {
  baseUrl: string;
  auditUrl?: string;
  wsUrl?: string;
  readyUrls?: string[];
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface SmokeResult {
  email: string;
  taskId: string;
  /** Milliseconds each step took, by step name. */
  steps: Record<string, number>;
}

export async function runSmoke(options: SmokeOptions): Promise<SmokeResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const log = options.log ?? (() => {});
  const base = options.baseUrl.replace(/\/$/, "");
  const steps: Record<string, number> = {};
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const value = await work();
    steps[name] = Math.round(performance.now() - started);
    log(`ok  ${name} (${steps[name]} ms)`);
    return value;
  };

  for (const url of options.readyUrls ?? []) {
    await step(`ready ${url}`, () =>
      waitFor(async () => (await fetch(`${url.replace(/\/$/, "")}/readyz`)).status === 200, {
        timeoutMs,
        intervalMs: 500,
        message: `${url}/readyz to answer 200`,
      }),
    );
  }

  const email = `smoke-${crypto.randomUUID()}@example.com`;
  const token = await step("sign up and in", async () => {
    const credentials = { email, password: crypto.randomUUID() };
    await call(`${base}/api/auth/signup`, "POST", undefined, credentials);
    const body = await call<{ token: string }>(`${base}/api/auth/login`, "POST", undefined, credentials);
    return body.token;
  });

  const tab = await step("open a WebSocket", () => openTab(options.wsUrl ?? base, { token, via: "protocol" }));
  try {
    const title = `smoke ${new Date().toISOString()}`;
    const task = await step("create a task", () => call<{ id: string }>(`${base}/api/tasks`, "POST", token, { title }));
    await step("read it back", async () => {
      const read = await call<{ id: string; title: string }>(`${base}/api/tasks/${task.id}`, "GET", token);
      if (read.title !== title) throw new Error(`GET /api/tasks/${task.id} answered title ${JSON.stringify(read.title)}, not ${JSON.stringify(title)}`);
    });
    await step("see it in the audit trail", () =>
      waitFor(
        async () => {
          const page = await call<{ items: { type: string }[] }>(
            `${(options.auditUrl ?? base).replace(/\/$/, "")}/api/audit?taskId=${task.id}`,
            "GET",
            token,
          );
          return page.items.some((item) => item.type === "todo.task.created.v1");
        },
        { timeoutMs, intervalMs: 250, message: "todo.task.created.v1 in the audit trail" },
      ),
    );
    await step("receive it on the WebSocket", () =>
      tab.until((frames) => aboutTask(frames, task.id).some((frame) => frame.type === "todo.task.created.v1"), "the created event on the socket", timeoutMs),
    );
    await call(`${base}/api/tasks/${task.id}`, "DELETE", token);
    return { email, taskId: task.id, steps };
  } finally {
    await tab.close();
  }
}

async function call<T = unknown>(url: string, method: string, token?: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${new URL(url).pathname} answered ${response.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

if (import.meta.main) {
  const baseUrl = Bun.argv[2] ?? process.env.SMOKE_BASE_URL;
  if (!baseUrl) {
    console.error("usage: smoke <base-url>   (or SMOKE_BASE_URL)");
    process.exit(2);
  }
  const list = (value: string | undefined) => (value ? value.split(",").map((item) => item.trim()).filter(Boolean) : undefined);
  try {
    const result = await runSmoke({
      baseUrl,
      auditUrl: process.env.SMOKE_AUDIT_URL || undefined,
      wsUrl: process.env.SMOKE_WS_URL || undefined,
      readyUrls: list(process.env.SMOKE_READY_URLS),
      timeoutMs: process.env.SMOKE_TIMEOUT_MS ? Number(process.env.SMOKE_TIMEOUT_MS) : undefined,
      log: (line) => console.log(line),
    });
    console.log(`smoke test passed against ${baseUrl} (task ${result.taskId})`);
    process.exit(0);
  } catch (error) {
    console.error(`smoke test FAILED against ${baseUrl}: ${(error as Error).message}`);
    process.exit(1);
  }
}
