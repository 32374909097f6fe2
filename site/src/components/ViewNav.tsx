import { navigate, tagViews, view } from "../lib/board-store.ts";
import { VIEWS, writeQuery, type View } from "../lib/board-query.ts";
import { chatOpen } from "../lib/ui-state.ts";

/** The views as links (so they open in a new tab too), one per tag after them; on phones the main ones form a bottom bar with the chat button. */
export default function ViewNav() {
  const link = (target: View, label: string, key?: string) => (
    <a
      href={`/${writeQuery(target, { priority: "", tags: "", dueFrom: "", dueTo: "", overdue: false, q: "", sort: "" }) || "?"}`}
      aria-current={view.value === target ? "page" : undefined}
      aria-keyshortcuts={key}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate({ view: target });
      }}
    >
      {label}
    </a>
  );
  return (
    <nav class="views" aria-label="Views">
      <ul class="views-main">
        {VIEWS.map((entry) => (
          <li>{link(entry.view, entry.label, entry.key)}</li>
        ))}
        <li class="chat-toggle">
          <button type="button" aria-expanded={chatOpen.value} aria-controls="chat-panel" onClick={() => (chatOpen.value = !chatOpen.value)}>
            Chat
          </button>
        </li>
      </ul>
      {tagViews.value.length > 0 && (
        <ul class="views-tags" aria-label="Tag views">
          {tagViews.value.map((tag) => (
            <li>{link(`tag:${tag}`, `#${tag}`)}</li>
          ))}
        </ul>
      )}
    </nav>
  );
}
