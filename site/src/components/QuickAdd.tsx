import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { api } from "../lib/api.ts";
import { createTask } from "../lib/board-store.ts";
import { describeFailure } from "../lib/errors.ts";
import { fieldsOf, previewChips, previewSentence, shouldPreview, type ParsedLine } from "../lib/quick-add.ts";

interface Preview {
  text: string;
  fields?: ParsedLine;
  error?: string;
}

/**
 * One line, read by the server's chat engine ("Pay rent tomorrow 9am #home
 * !high"): a preview while typing, Enter creates exactly what the preview
 * showed. Keyboard only: type, Enter, type the next one.
 */
export default function QuickAdd() {
  const line = useSignal("");
  const preview = useSignal<Preview | null>(null);
  const busy = useSignal(false);
  const status = useSignal("");
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);

  const read = async (text: string): Promise<Preview> => {
    try {
      return { text, fields: await api<ParsedLine>("POST", "/api/tasks/parse", { text }) };
    } catch (error) {
      return { text, error: describeFailure(error).text };
    }
  };

  const onInput = (value: string) => {
    line.value = value;
    clearTimeout(timer.current);
    if (!value.trim()) {
      preview.value = null;
      return;
    }
    timer.current = setTimeout(async () => {
      if (!shouldPreview(value, preview.value?.text)) return;
      const next = await read(value.trim());
      if (line.value.trim() === next.text) preview.value = next;
    }, 250);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const text = line.value.trim();
    if (!text || busy.value) return;
    busy.value = true;
    clearTimeout(timer.current);
    const current = preview.value?.text === text ? preview.value : await read(text);
    preview.value = current;
    try {
      if (!current.fields) return;
      const task = await createTask(fieldsOf(current.fields));
      status.value = `Added ${task.title}.`;
      line.value = "";
      preview.value = null;
    } catch (error) {
      preview.value = { text, error: describeFailure(error).text };
    } finally {
      busy.value = false;
    }
  };

  const chips = preview.value?.fields ? previewChips(preview.value.fields) : [];
  return (
    <form class="quick-add" onSubmit={submit}>
      <label for="quick-add-input">Quick add</label>
      <div class="quick-add-row">
        <input
          id="quick-add-input"
          value={line.value}
          onInput={(e) => onInput(e.currentTarget.value)}
          placeholder="Pay rent tomorrow 9am #home !high"
          autocomplete="off"
          maxLength={500}
          aria-describedby="quick-add-preview quick-add-help"
        />
        <button type="submit" class="primary" disabled={busy.value}>
          Add
        </button>
      </div>
      <small id="quick-add-help" class="hint">
        Write it as you would say it: “dentist next tue 3:30pm”, “every Monday 9am standup #work”, “kal shaam 5 baje doodh lena”, p1 or !high. The preview shows which words became which field. Press Enter to add.
      </small>
      <div id="quick-add-preview" class="preview" aria-live="polite">
        {chips.length > 0 && (
          <ul class="chips" aria-label={previewSentence(chips)}>
            {chips.map((chip) => (
              <li class="chip" aria-hidden="true">
                <span class="chip-label">{chip.label}</span> {chip.text}
                {chip.from && (
                  <>
                    {" "}
                    <q class="chip-from">{chip.from}</q>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
        {preview.value?.error && (
          <p class="error" role="alert">
            {preview.value.error}
          </p>
        )}
        <span class="visually-hidden">{status.value}</span>
      </div>
    </form>
  );
}
