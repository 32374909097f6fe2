import { useRef } from "preact/hooks";
import type { Task } from "../lib/api.ts";
import { deleteWithUndo, now, setDone } from "../lib/board-store.ts";
import { isOverdue, relativeWhen } from "../lib/dates.ts";
import { describeRRule } from "../lib/recurrence.ts";
import { unsaved } from "../lib/task-store.ts";
import { editingId } from "../lib/ui-state.ts";
import TaskEditor from "./TaskEditor.tsx";

/** One task on the board: complete/reopen, its badges, the title that opens the editor, and delete. */
export default function TaskItem({ task }: { task: Task }) {
  const titleButton = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const editing = editingId.value === task.id;
  const done = task.status === "completed";
  const overdue = isOverdue(task, now.value);
  const toggleEditor = (event: Event) => {
    opener.current = event.currentTarget as HTMLElement;
    editingId.value = editing ? null : task.id;
  };
  const close = () => {
    editingId.value = null;
    // Back to where the user was: what opened the editor (the title after the `e` shortcut).
    requestAnimationFrame(() => (opener.current?.isConnected ? opener.current : titleButton.current)?.focus());
  };

  return (
    <li class={`task${done ? " done" : ""}`} data-task-id={task.id}>
      <div class="task-line">
        <label class="complete-hit">
          <input
            type="checkbox"
            class="complete"
            checked={done}
            aria-label={done ? `Reopen ${task.title}` : `Complete ${task.title}`}
            onChange={(e) => void setDone(task, e.currentTarget.checked)}
          />
        </label>
        <div class="task-body">
          <button type="button" class="task-title" dir="auto" ref={titleButton} aria-expanded={editing} onClick={toggleEditor}>
            {task.title}
          </button>
          {task.description && (
            <span class="task-description" dir="auto">
              {task.description}
            </span>
          )}
          <span class="badges">
            {unsaved.value.has(task.id) && <span class="badge unsaved">Not saved yet</span>}
            {task.priority !== "none" && <span class={`badge priority-${task.priority}`}>{task.priority}</span>}
            {task.dueAt && (
              <span class={`badge due${overdue ? " overdue" : ""}`}>
                {overdue ? "Overdue: " : "Due "}
                <time dateTime={task.dueAt}>{relativeWhen(task.dueAt, now.value)}</time>
              </span>
            )}
            {task.recurrence && (
              <span class="badge recurring" title={task.recurrence}>
                <span aria-hidden="true">↻ </span>
                {describeRRule(task.recurrence)}
              </span>
            )}
            {task.remindAt && <span class="badge reminder">Reminder {relativeWhen(task.remindAt, now.value)}</span>}
            {task.tags.map((tag) => (
              <span class="badge tag">#{tag}</span>
            ))}
          </span>
        </div>
        <div class="task-actions">
          <button type="button" aria-expanded={editing} onClick={toggleEditor} aria-label={`Edit ${task.title}`}>
            Edit
          </button>
          <button type="button" class="danger" onClick={() => deleteWithUndo(task)} aria-label={`Delete ${task.title}`}>
            Delete
          </button>
        </div>
      </div>
      {editing && <TaskEditor task={task} onClose={close} />}
    </li>
  );
}
