import type { Priority, Task, TaskPatchBody } from "@todo/common";
import { session, signOut } from "./session.ts";

/** The task as the API returns it, and what may be changed: the server's schemas (types only, nothing bundled). */
export type { Priority, Task };
export type TaskFields = TaskPatchBody;

/** One problem of a refused request, as `error.details` lists them. */
export interface ApiIssue {
  path?: string;
  message: string;
}

/** An error answer of the API: `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiIssue[] = [],
  ) {
    super(message);
  }
}

/**
 * One call to the API on this origin (the embedded host or the Ingress routes
 * /api there), with the session's bearer token. A 401 on a signed-in call
 * means the token expired: the session ends and the sign-in form shows.
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = session.value?.token;
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return undefined as T;
  const payload = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string; details?: unknown } };
  if (!response.ok) {
    if (response.status === 401 && token) signOut();
    throw new ApiError(
      response.status,
      payload.error?.code ?? "error",
      payload.error?.message ?? `request failed (${response.status})`,
      Array.isArray(payload.error?.details) ? (payload.error.details as ApiIssue[]) : [],
    );
  }
  return payload as T;
}
