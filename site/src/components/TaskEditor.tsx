import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { Priority, Task, TaskFields } from "../lib/api.ts";
import { parseTags } from "../lib/board-query.ts";
import { updateTask } from "../lib/board-store.ts";
import { fromLocalInput, relativeWhen, toLocalInput } from "../lib/dates.ts";
import { explainFailure, type Explained, type TaskField } from "../lib/errors.ts";
import { shouldAskNotificationPermission } from "../lib/reminders.ts";
import { DEFAULT_FORM, fromRRule, toRRule, type RecurrenceForm } from "../lib/recurrence.ts";
import PriorityOptions from "./PriorityOptions.tsx";
import RecurrenceEditor from "./RecurrenceEditor.tsx";

interface Props {
  task: Task;
  onClose(): void;
}

/** Inline edit of one task: every field, pickers for due and reminder, and the recurrence editor. Escape cancels. */
export default function TaskEditor({ task, onClose }: Props) {
  const readable = task.recurrence ? fromRRule(task.recurrence) : undefined;
  const repeats = useSignal(task.recurrence !== null);
  const recurrence = useSignal<RecurrenceForm>(readable ?? DEFAULT_FORM);
  const errors = useSignal<Explained[]>([]);
  const due = useSignal(toLocalInput(task.dueAt));
  const remind = useSignal(toLocalInput(task.remindAt));
  const askPermission = useSignal(false);
  const busy = useSignal(false);
  const titleInput = useRef<HTMLInputElement>(null);
  useEffect(() => titleInput.current?.focus(), []);
  const id = (name: string) => `edit-${task.id}-${name}`;
  const fieldError = (field: TaskField) => errors.value.find((item) => item.field === field);
  const invalid = (field: TaskField, name: string) =>
    fieldError(field) ? { "aria-invalid": true, "aria-describedby": id(`${name}-error`) } : {};
  const errorText = (field: TaskField, name: string) => {
    const problem = fieldError(field);
    return problem ? (
      <span class="error field-error" id={id(`${name}-error`)}>
        {problem.text}
      </span>
    ) : null;
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (busy.value) return;
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const fields: TaskFields = {
      title: String(form.get("title")),
      description: String(form.get("description")),
      priority: String(form.get("priority")) as Priority,
      tags: parseTags(String(form.get("tags"))),
      dueAt: fromLocalInput(String(form.get("dueAt"))),
      remindAt: fromLocalInput(String(form.get("remindAt"))),
      // A rule the editor cannot show stays as it was unless the user turns repeating off.
      recurrence: !repeats.value ? null : readable || !task.recurrence ? toRRule(recurrence.value) : task.recurrence,
    };
    // Untouched pickers are left out: the pickers drop seconds, and a reminder already past would be refused.
    if (toLocalInput(task.remindAt) === String(form.get("remindAt"))) delete fields.remindAt;
    if (toLocalInput(task.dueAt) === String(form.get("dueAt"))) delete fields.dueAt;
    busy.value = true;
    try {
      await updateTask(task, fields);
      onClose();
    } catch (failure) {
      // Focus stays where the user was (the Save button); each sentence sits by its field.
      errors.value = explainFailure(failure);
    } finally {
      busy.value = false;
    }
  };

  return (
    <form class="editor" onSubmit={save} onKeyDown={(e) => e.key === "Escape" && onClose()} aria-label={`Edit ${task.title}`}>
      <p class="field">
        <label for={id("title")}>Title</label>
        <input id={id("title")} name="title" required maxLength={200} defaultValue={task.title} ref={titleInput} dir="auto" {...invalid("title", "title")} />
        {errorText("title", "title")}
      </p>
      <p class="field">
        <label for={id("description")}>Description</label>
        <textarea id={id("description")} name="description" rows={2} maxLength={4000} defaultValue={task.description} dir="auto" {...invalid("description", "description")} />
        {errorText("description", "description")}
      </p>
      <div class="row">
        <p class="field">
          <label for={id("priority")}>Priority</label>
          <select id={id("priority")} name="priority">
            <PriorityOptions selected={task.priority} />
          </select>
        </p>
        <p class="field">
          <label for={id("tags")}>Tags</label>
          <input id={id("tags")} name="tags" defaultValue={task.tags.join(" ")} placeholder="home work" {...invalid("tags", "tags")} />
          {errorText("tags", "tags")}
        </p>
      </div>
      <div class="row">
        <p class="field">
          <label for={id("due")}>Due</label>
          <input
            id={id("due")}
            name="dueAt"
            type="datetime-local"
            defaultValue={toLocalInput(task.dueAt)}
            onInput={(e) => (due.value = e.currentTarget.value)}
            {...invalid("dueAt", "due")}
          />
          <PickedTime value={due.value} />
          {errorText("dueAt", "due")}
        </p>
        <p class="field">
          <label for={id("remind")}>Reminder</label>
          <input
            id={id("remind")}
            name="remindAt"
            type="datetime-local"
            defaultValue={toLocalInput(task.remindAt)}
            onInput={(e) => {
              remind.value = e.currentTarget.value;
              askPermission.value = Boolean(e.currentTarget.value) && shouldAskNotificationPermission();
            }}
            {...invalid("remindAt", "remind")}
          />
          <PickedTime value={remind.value} />
          {errorText("remindAt", "remind")}
        </p>
      </div>
      <p class="field">
        <label class="chip-check">
          <input type="checkbox" checked={repeats.value} onChange={(e) => (repeats.value = e.currentTarget.checked)} />
          Repeats (needs a due date)
        </label>
      </p>
      {repeats.value &&
        (readable || !task.recurrence ? (
          <RecurrenceEditor idPrefix={id("rrule")} value={recurrence.value} onChange={(next) => (recurrence.value = next)} />
        ) : (
          <p class="hint">This task repeats by a rule the editor cannot show ({task.recurrence}); it is kept.</p>
        ))}
      {askPermission.value && (
        <p class="hint permission">
          Allow notifications so this reminder reaches you even when the board is in a background tab.{" "}
          <button
            type="button"
            onClick={async () => {
              await Notification.requestPermission();
              askPermission.value = false;
            }}
          >
            Allow notifications
          </button>
        </p>
      )}
      {errorText("recurrence", "rrule")}
      {errors.value.length > 0 && (
        <p class="error" role="alert">
          {errors.value.length === 1 && !errors.value[0]!.field ? errors.value[0]!.text : "This was not saved: see the notes by the fields."}
        </p>
      )}
      <p class="actions">
        {/* aria-disabled, not disabled: a disabled button would drop the focus while saving. */}
        <button type="submit" class="primary" aria-disabled={busy.value}>
          Save
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </p>
    </form>
  );
}

/** The picked date and time as the badges will show it ("Tomorrow, 9:00 AM"), so the picker's own format is never the only one. */
function PickedTime({ value }: { value: string }) {
  const iso = fromLocalInput(value);
  return iso ? <span class="hint picked">{relativeWhen(iso)}</span> : null;
}
