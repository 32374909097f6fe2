import { ApiError, type ApiIssue } from "./api.ts";

/**
 * API errors as sentences a user can act on, and which field each concerns,
 * so a form can show it next to that field. The API's `code` says what kind
 * of refusal it was; for a refused task (`invalid_task`, `invalid_request`)
 * each issue's `path` names the field.
 */
export type TaskField = "title" | "description" | "priority" | "tags" | "dueAt" | "remindAt" | "recurrence";
export interface Explained {
  field?: TaskField;
  text: string;
}

const CODES: Record<string, string> = {
  unauthorized: "Your session has ended. Please log in again.",
  invalid_credentials: "That email and password do not match an account.",
  email_taken: "An account with this email already exists. Log in instead?",
  not_found: "This task no longer exists; it may have been deleted in another window.",
  version_conflict: "This task was changed somewhere else meanwhile. Look at the new version and try again.",
  rate_limited: "That was a lot of requests at once. Wait a few seconds and try again.",
  payload_too_large: "That is too much text to save at once.",
  no_title: "Say what the task is, for example “Buy milk tomorrow”.",
  invalid_body: "Something went wrong sending this. Reload the page and try again.",
  invalid_query: "Those filters could not be used. Clear them and try again.",
  invalid_cursor: "The list changed while loading. Reload the page.",
  invalid_if_match: "This task was changed somewhere else meanwhile. Reload and try again.",
  unavailable: "The server is busy or restarting. Try again in a moment.",
  retry: "The server is busy or restarting. Try again in a moment.",
  internal: "Something went wrong on our side. Try again in a moment.",
};

/** Field problems by what the server's message says; the first match wins, `*` is any message about that field. */
const FIELD_SENTENCES: Record<TaskField, [RegExp, string][]> = {
  title: [
    [/empty/, "Give the task a title."],
    [/at most/, "The title is too long: keep it under 200 characters."],
    [/./, "The title has characters that cannot be saved."],
  ],
  description: [
    [/at most/, "The notes are too long: keep them under 4000 characters."],
    [/./, "The notes have characters that cannot be saved."],
  ],
  priority: [[/./, "Pick a priority from the list."]],
  tags: [
    [/at most/, "A task can have at most 20 tags."],
    [/./, "Tags are single words of letters, digits, “-” or “_” (up to 32 characters)."],
  ],
  dueAt: [[/./, "Pick a due date and time with the date picker."]],
  remindAt: [
    [/past/, "The reminder time has already passed. Pick a time later than now."],
    [/./, "Pick a reminder date and time with the date picker."],
  ],
  recurrence: [
    [/dueAt|anchor/, "A repeating task needs a due date: set when the first one is due."],
    [/COUNT and UNTIL/, "Choose either a number of times or an end date, not both."],
    [/FREQ/, "Pick how often the task repeats."],
    [/./, "This repeat rule cannot be used. Pick a frequency in the editor."],
  ],
};

const FIELDS = Object.keys(FIELD_SENTENCES) as TaskField[];

function explainIssue(issue: ApiIssue): Explained {
  const field = FIELDS.find((name) => (issue.path ?? "").replace(/^\//, "").split("/")[0] === name);
  if (!field) return { text: "Something in this task could not be saved. Check the fields and try again." };
  const sentence = FIELD_SENTENCES[field].find(([pattern]) => pattern.test(issue.message))!;
  return { field, text: sentence[1] };
}

/** The fetch never reached the server (offline, DNS, the server down). */
export function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError;
}

/** Every problem of a failure, each with its field where it has one. */
export function explainFailure(error: unknown): Explained[] {
  if (isNetworkFailure(error)) return [{ text: "Can't reach the server. Check your connection; nothing was saved." }];
  if (!(error instanceof ApiError)) return [{ text: "Something went wrong. Try again." }];
  if ((error.code === "invalid_task" || error.code === "invalid_request") && error.details.length > 0) {
    const seen = new Set<string>();
    return error.details.map(explainIssue).filter((item) => !seen.has(item.text) && seen.add(item.text));
  }
  return [{ text: CODES[error.code] ?? (error.status >= 500 ? CODES.internal! : "That could not be saved. Check what you entered and try again.") }];
}

/** The main sentence of a failure, for a toast or a form without fields. */
export function describeFailure(error: unknown): Explained {
  return explainFailure(error)[0]!;
}
