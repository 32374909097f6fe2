import { clearFilters } from "../lib/board-store.ts";
import type { BoardFilters, View } from "../lib/board-query.ts";
import { fillQuickAdd } from "../lib/ui-state.ts";

const EXAMPLES = ["Pay rent tomorrow 9am #home !high", "Call mom every Sunday at 6pm", "Buy milk #shopping"];

interface Props {
  /** The user has tasks at all (else this is the first run). */
  hasAny: boolean;
  /** The view has tasks the filters hide. */
  filtered: boolean;
  view: View;
  filters: BoardFilters;
  onView(view: View): void;
}

/** What an empty list says: how to start on a new account, how to get matches back, or where the work is. */
export default function EmptyState({ hasAny, filtered, view, onView }: Props) {
  if (filtered) {
    return (
      <div class="empty">
        <p>
          No matches —{" "}
          <button type="button" class="link" onClick={clearFilters}>
            clear filters
          </button>
        </p>
      </div>
    );
  }
  if (!hasAny) {
    return (
      <div class="empty first-run">
        <p>Nothing here yet. Type a task in one line: a date, a time, “every …” for repeats, #tags and !priority are understood.</p>
        <p>Try one:</p>
        <ul class="examples">
          {EXAMPLES.map((example) => (
            <li>
              <button type="button" class="example" onClick={() => fillQuickAdd(example)}>
                {example}
              </button>
            </li>
          ))}
        </ul>
        <p class="hint">Or ask the assistant, e.g. “remind me to stretch in 10 minutes”. Press ? for keyboard shortcuts.</p>
      </div>
    );
  }
  const elsewhere = view === "today" ? "upcoming" : "all";
  return (
    <div class="empty">
      <p>{view === "today" ? "Nothing due today." : view === "completed" ? "Nothing completed yet." : "Nothing here."}</p>
      {view !== "all" && (
        <p>
          <button type="button" class="link" onClick={() => onView(elsewhere)}>
            {elsewhere === "upcoming" ? "See what's upcoming" : "See all tasks"}
          </button>
        </p>
      )}
    </div>
  );
}
