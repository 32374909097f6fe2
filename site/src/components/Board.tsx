import { useEffect } from "preact/hooks";
import { filters, loadError, loading, navigate, pendingDeletes, startBoardSync, view, viewTasks, visibleGroups, visibleTasks } from "../lib/board-store.ts";
import { viewLabel } from "../lib/board-query.ts";
import { startShortcuts } from "../lib/shortcuts.ts";
import { session } from "../lib/session.ts";
import { knownTasks } from "../lib/task-store.ts";
import CalendarFeed from "./CalendarFeed.tsx";
import EmptyState from "./EmptyState.tsx";
import FilterBar from "./FilterBar.tsx";
import QuickAdd from "./QuickAdd.tsx";
import ShortcutHelp from "./ShortcutHelp.tsx";
import TaskItem from "./TaskItem.tsx";
import ViewNav from "./ViewNav.tsx";

/** The task board: quick add, the views, search and filters, and the current view's tasks grouped by day. */
export default function Board() {
  useEffect(() => {
    startBoardSync();
    startShortcuts();
  }, []);
  if (!session.value) return null;

  const count = visibleTasks.value.length;
  const heading = viewLabel(view.value);
  const hasAny = knownTasks.value.some((task) => !pendingDeletes.value.has(task.id));
  return (
    <section class="board card" aria-labelledby="board-heading">
      <h2 id="board-heading" class="visually-hidden">
        Tasks
      </h2>
      <QuickAdd />
      <ViewNav />
      <FilterBar />
      {loadError.value && (
        <p class="error" role="alert">
          Could not load your tasks. {loadError.value}
        </p>
      )}
      <h3 class="view-heading">
        {heading}
        <span class="count" aria-live="polite">
          {loading.value && !hasAny ? "Loading…" : `${count} ${count === 1 ? "task" : "tasks"}`}
        </span>
      </h3>
      {count === 0 && !loading.value ? (
        <EmptyState hasAny={hasAny} filtered={viewTasks.value.length > 0} view={view.value} filters={filters.value} onView={(next) => navigate({ view: next })} />
      ) : (
        visibleGroups.value.map((group) => (
          <div class="task-group" key={group.key}>
            {group.title && (
              <h4 class={`group-heading${group.key === "overdue" ? " overdue" : ""}`} id={`group-${group.key}`}>
                {group.title}
              </h4>
            )}
            <ul class="tasks" aria-labelledby={group.title ? `group-${group.key}` : "board-heading"}>
              {group.tasks.map((task) => (
                <TaskItem key={task.id} task={task} />
              ))}
            </ul>
          </div>
        ))
      )}
      <CalendarFeed />
      <ShortcutHelp />
    </section>
  );
}
