import { signal } from "@preact/signals";

/** Page-wide UI state the islands share: which editor is open, the help overlay, and the chat sheet on phones. */
export const editingId = signal<string | null>(null);
export const helpOpen = signal(false);
export const chatOpen = signal(false);

/** Puts a line into quick add as if typed (its own input handler previews it) and focuses it. */
export function fillQuickAdd(text: string): void {
  const input = document.getElementById("quick-add-input") as HTMLInputElement | null;
  if (!input) return;
  input.value = text;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  input.focus();
}
