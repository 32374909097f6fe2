/** One tool call the assistant made in a turn, as POST /api/chat reports it. */
export interface ChatAction {
  tool: string;
  input?: Record<string, unknown>;
  result?: { title?: string; items?: unknown[] } | null;
  error?: { message: string };
}

const VERBS: Record<string, string> = {
  add_task: "Added",
  update_task: "Updated",
  complete_task: "Completed",
  reopen_task: "Reopened",
  delete_task: "Deleted",
  set_reminder: "Reminder set on",
  set_recurrence: "Recurrence set on",
  get_task: "Looked up",
};

/** "Added “Buy milk”", "Listed 3 tasks", "Failed: …": what the panel shows under a reply. */
export function describeAction(action: ChatAction): string {
  if (action.error) return `Failed: ${action.error.message}`;
  if (action.tool === "list_tasks") {
    const count = action.result?.items?.length ?? 0;
    return `Listed ${count} ${count === 1 ? "task" : "tasks"}`;
  }
  const title = action.result?.title;
  const verb = VERBS[action.tool] ?? action.tool;
  return title ? `${verb} “${title}”` : verb;
}
