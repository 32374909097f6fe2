import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import type { Task } from "../lib/api.ts";
import { deleteWithUndo, reportError, setDone } from "../lib/board-store.ts";
import { formatWhen, isOverdue } from "../lib/dates.ts";
import { describeRRule } from "../lib/recurrence.ts";
import TaskEditor from "./TaskEditor.tsx";

/** One task on the board: complete/reopen, its badges, edit and delete. */
export default function TaskItem({ task, now }: { task: Task; now: Date }) {
  const editing = useSignal(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const done = task.status === "completed";
  const overdue = isOverdue(task, now);
  const close = () => {
    editing.value = false;
    // Back to where the user was: the Edit button of this task.
    requestAnimationFrame(() => editButton.current?.focus());
  };

  return (
    <li class={`task${done ? " done" : ""}`} data-task-id={task.id}>
      <div class="task-line">
        <input
          type="checkbox"
          class="complete"
          checked={done}
          aria-label={done ? `Reopen ${task.title}` : `Complete ${task.title}`}
          onChange={(e) => void setDone(task, e.currentTarget.checked).catch(reportError)}
        />
        <div class="task-body">
          <span class="task-title">{task.title}</span>
          {task.description && <span class="task-description">{task.description}</span>}
          <span class="badges">
            {task.priority !== "none" && <span class={`badge priority-${task.priority}`}>{task.priority}</span>}
            {task.dueAt && (
              <span class={`badge due${overdue ? " overdue" : ""}`}>
                {overdue ? "Overdue: " : "Due "}
                <time dateTime={task.dueAt}>{formatWhen(task.dueAt)}</time>
              </span>
            )}
            {task.recurrence && (
              <span class="badge recurring" title={task.recurrence}>
                <span aria-hidden="true">↻ </span>
                {describeRRule(task.recurrence)}
              </span>
            )}
            {task.remindAt && (
              <span class="badge reminder">
                Reminder {formatWhen(task.remindAt)}
              </span>
            )}
            {task.tags.map((tag) => (
              <span class="badge tag">#{tag}</span>
            ))}
          </span>
        </div>
        <div class="task-actions">
          <button type="button" ref={editButton} aria-expanded={editing.value} onClick={() => (editing.value = !editing.value)} aria-label={`Edit ${task.title}`}>
            Edit
          </button>
          <button type="button" class="danger" onClick={() => deleteWithUndo(task)} aria-label={`Delete ${task.title}`}>
            Delete
          </button>
        </div>
      </div>
      {editing.value && <TaskEditor task={task} onClose={close} />}
    </li>
  );
}
