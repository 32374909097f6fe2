import { signal } from "@preact/signals";

export interface ToastAction {
  label: string;
  run: () => void;
}

export interface Toast {
  id: number;
  text: string;
  kind: "info" | "reminder" | "error";
  actions: ToastAction[];
}

export const toasts = signal<Toast[]>([]);
let nextId = 1;

/** Shows a message in the toast region (an aria-live area) for a while. */
export function showToast(toast: { text: string; kind?: Toast["kind"]; action?: ToastAction; actions?: ToastAction[]; timeoutMs?: number }): number {
  const id = nextId++;
  const actions = toast.actions ?? (toast.action ? [toast.action] : []);
  toasts.value = [...toasts.value, { id, text: toast.text, kind: toast.kind ?? "info", actions }];
  setTimeout(() => dismissToast(id), toast.timeoutMs ?? 6000);
  return id;
}

export function dismissToast(id: number): void {
  toasts.value = toasts.value.filter((toast) => toast.id !== id);
}
