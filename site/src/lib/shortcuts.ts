import { deleteWithUndo, navigate, setDone, visibleTasks } from "./board-store.ts";
import { editingId, helpOpen } from "./ui-state.ts";

/** The keyboard shortcuts, as the help overlay lists them. */
export const SHORTCUTS: [key: string, what: string][] = [
  ["q", "Quick add a task"],
  ["/", "Search"],
  ["j / k", "Next / previous task"],
  ["x", "Complete or reopen the task"],
  ["e", "Edit the task"],
  ["#", "Delete the task (with undo)"],
  ["t", "Today"],
  ["u", "Upcoming"],
  ["?", "Show these shortcuts"],
];

const TYPING = "input:not([type=checkbox]):not([type=radio]), textarea, select, [contenteditable=''], [contenteditable='true']";

function taskTitles(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>("li.task .task-title"));
}

function currentTask() {
  const id = (document.activeElement?.closest("li.task") as HTMLElement | null)?.dataset.taskId;
  return visibleTasks.value.find((task) => task.id === id);
}

function focusTitleOf(id: string | undefined): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>(`li.task[data-task-id="${id}"] .task-title`)?.focus());
}

const ACTIONS: Record<string, () => boolean> = {
  q: () => focusField("quick-add-input"),
  "/": () => focusField("filter-q"),
  j: () => move(1),
  k: () => move(-1),
  t: () => (navigate({ view: "today" }), true),
  u: () => (navigate({ view: "upcoming" }), true),
  "?": () => ((helpOpen.value = true), true),
  x: () => {
    const task = currentTask();
    if (task) void setDone(task, task.status !== "completed");
    return Boolean(task);
  },
  e: () => {
    const task = currentTask();
    if (task) editingId.value = task.id;
    return Boolean(task);
  },
  "#": () => {
    const task = currentTask();
    if (!task) return false;
    const index = visibleTasks.value.indexOf(task);
    const next = visibleTasks.value[index + 1] ?? visibleTasks.value[index - 1];
    deleteWithUndo(task);
    focusTitleOf(next?.id);
    return true;
  },
};

function focusField(id: string): boolean {
  const field = document.getElementById(id);
  field?.focus();
  return Boolean(field);
}

function move(step: number): boolean {
  const titles = taskTitles();
  if (titles.length === 0) return false;
  const index = titles.findIndex((title) => title.closest("li.task")?.contains(document.activeElement));
  const next = index === -1 ? (step > 0 ? 0 : titles.length - 1) : Math.min(titles.length - 1, Math.max(0, index + step));
  titles[next]!.focus();
  return true;
}

let started = false;
/** One keydown listener for the page; keys typed into a field stay text. */
export function startShortcuts(): void {
  if (started) return;
  started = true;
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if ((event.target as Element | null)?.closest?.(TYPING) || document.querySelector("dialog[open]")) return;
    const action = ACTIONS[event.key];
    if (action?.()) event.preventDefault();
  });
}
