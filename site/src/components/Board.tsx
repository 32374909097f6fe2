import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { BoardFilters } from "../lib/board-query.ts";
import { filters, loadError, loading, pendingDeletes, refresh, setFilters, startBoardSync, tasks } from "../lib/board-store.ts";
import { session } from "../lib/session.ts";
import PriorityOptions from "./PriorityOptions.tsx";
import QuickAdd from "./QuickAdd.tsx";
import TaskItem from "./TaskItem.tsx";

const TABS: [BoardFilters["status"], string][] = [
  ["pending", "To do"],
  ["completed", "Done"],
  ["all", "All"],
];

/** The task board: quick add, status tabs, filters, search, sort and the list. */
export default function Board() {
  const now = useSignal(new Date());
  const searchTimer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => {
    startBoardSync();
    // Overdue badges follow the clock without a reload.
    const tick = setInterval(() => (now.value = new Date()), 30_000);
    return () => clearInterval(tick);
  }, []);
  useEffect(() => {
    if (session.value) void refresh();
  }, [session.value?.token]);
  if (!session.value) return null;

  const current = filters.value;
  const visible = tasks.value.filter((task) => !pendingDeletes.value.has(task.id));
  const search = (q: string) => {
    clearTimeout(searchTimer.current);
    searchTimer.current = setTimeout(() => setFilters({ q }), 200);
  };

  return (
    <section class="board card" aria-labelledby="board-heading">
      <h2 id="board-heading">Tasks</h2>
      <QuickAdd />
      <div class="tabs" role="group" aria-label="Status">
        {TABS.map(([status, text]) => (
          <button type="button" aria-pressed={current.status === status} onClick={() => setFilters({ status })}>
            {text}
          </button>
        ))}
      </div>
      <form class="filters" role="search" aria-label="Filter tasks" onSubmit={(e) => e.preventDefault()}>
        <p class="field grow">
          <label for="filter-q">Search</label>
          <input id="filter-q" type="search" defaultValue={current.q} onInput={(e) => search(e.currentTarget.value)} />
        </p>
        <p class="field">
          <label for="filter-priority">Priority</label>
          <select id="filter-priority" value={current.priority} onChange={(e) => setFilters({ priority: e.currentTarget.value as BoardFilters["priority"] })}>
            <option value="">Any</option>
            <PriorityOptions />
          </select>
        </p>
        <p class="field">
          <label for="filter-tags">Tags</label>
          <input id="filter-tags" defaultValue={current.tags} placeholder="home" onChange={(e) => setFilters({ tags: e.currentTarget.value })} />
        </p>
        <p class="field">
          <label for="filter-from">Due from</label>
          <input id="filter-from" type="date" value={current.dueFrom} onChange={(e) => setFilters({ dueFrom: e.currentTarget.value })} />
        </p>
        <p class="field">
          <label for="filter-to">Due to</label>
          <input id="filter-to" type="date" value={current.dueTo} onChange={(e) => setFilters({ dueTo: e.currentTarget.value })} />
        </p>
        <p class="field">
          <label for="filter-sort">Sort by</label>
          <select id="filter-sort" value={current.sort} onChange={(e) => setFilters({ sort: e.currentTarget.value as BoardFilters["sort"] })}>
            <option value="created">Newest</option>
            <option value="due">Due date</option>
            <option value="priority">Priority</option>
            <option value="title">Title</option>
            <option value="updated">Recently changed</option>
          </select>
        </p>
        <p class="field check">
          <label class="chip-check">
            <input type="checkbox" checked={current.overdue} onChange={(e) => setFilters({ overdue: e.currentTarget.checked })} />
            Overdue only
          </label>
        </p>
      </form>
      {loadError.value && (
        <p class="error" role="alert">
          Could not load tasks: {loadError.value}
        </p>
      )}
      <p class="count" aria-live="polite">
        {loading.value && visible.length === 0 ? "Loading…" : `${visible.length} ${visible.length === 1 ? "task" : "tasks"}`}
      </p>
      <ul class="tasks" aria-label="Tasks">
        {visible.map((task) => (
          <TaskItem key={task.id} task={task} now={now.value} />
        ))}
      </ul>
    </section>
  );
}
