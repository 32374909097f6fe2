import { useEffect, useRef } from "preact/hooks";
import { SHORTCUTS } from "../lib/shortcuts.ts";
import { helpOpen } from "../lib/ui-state.ts";

/** The keyboard shortcuts, in a modal dialog that `?` opens; Escape or Close returns focus where it was. */
export default function ShortcutHelp() {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (helpOpen.value && !element.open) element.showModal();
    if (!helpOpen.value && element.open) element.close();
  }, [helpOpen.value]);
  return (
    <dialog ref={dialog} class="help card" aria-labelledby="help-heading" onClose={() => (helpOpen.value = false)}>
      <h2 id="help-heading">Keyboard shortcuts</h2>
      <dl class="shortcuts">
        {SHORTCUTS.map(([key, what]) => (
          <div>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog">
        <button type="submit" class="primary">
          Close
        </button>
      </form>
    </dialog>
  );
}
