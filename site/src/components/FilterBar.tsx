import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import { clearFilters, filters, setFilters } from "../lib/board-store.ts";
import { activeFilterCount, type BoardFilters } from "../lib/board-query.ts";
import PriorityOptions from "./PriorityOptions.tsx";

/** Search, and the other filters and the sort behind one "Filter" button, with how many are on. */
export default function FilterBar() {
  const open = useSignal(false);
  const searchTimer = useRef<ReturnType<typeof setTimeout>>();
  const current = filters.value;
  const active = activeFilterCount(current);
  const search = (q: string) => {
    clearTimeout(searchTimer.current);
    searchTimer.current = setTimeout(() => setFilters({ q }), 150);
  };
  return (
    <div class="filter-bar">
      <div class="toolbar" role="search" aria-label="Find tasks">
        <label for="filter-q" class="visually-hidden">
          Search
        </label>
        <input
          id="filter-q"
          type="search"
          placeholder="Search"
          value={current.q}
          aria-keyshortcuts="/"
          onInput={(e) => search(e.currentTarget.value)}
          onKeyDown={(e) => e.key === "Escape" && e.currentTarget.blur()}
        />
        <button type="button" aria-expanded={open.value} aria-controls="filter-panel" onClick={() => (open.value = !open.value)}>
          Filter{active > 0 ? ` (${active})` : ""}
        </button>
        {(active > 0 || current.q) && (
          <button type="button" class="link" onClick={clearFilters}>
            Clear filters
          </button>
        )}
      </div>
      {open.value && (
        <form id="filter-panel" class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
          <p class="field">
            <label for="filter-priority">Priority</label>
            <select id="filter-priority" value={current.priority} onChange={(e) => setFilters({ priority: e.currentTarget.value as BoardFilters["priority"] })}>
              <option value="">Any</option>
              <PriorityOptions />
            </select>
          </p>
          <p class="field">
            <label for="filter-tags">Tags</label>
            <input id="filter-tags" value={current.tags} placeholder="home" onChange={(e) => setFilters({ tags: e.currentTarget.value })} />
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
              <option value="">The view's order</option>
              <option value="due">Due date</option>
              <option value="priority">Priority</option>
              <option value="title">Title</option>
              <option value="created">Newest</option>
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
      )}
    </div>
  );
}
