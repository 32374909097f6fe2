import { dismissToast, toasts } from "../lib/toasts.ts";

/** The toast region: always in the page so screen readers hear what is added to it. */
export default function Toasts() {
  return (
    <div class="toasts" role="status" aria-live="polite" aria-label="Notifications">
      {toasts.value.map((toast) => (
        <div class={`toast ${toast.kind}`} key={toast.id}>
          <span dir="auto">{toast.text}</span>
          {toast.actions.map((action) => (
            <button
              type="button"
              onClick={() => {
                action.run();
                dismissToast(toast.id);
              }}
            >
              {action.label}
            </button>
          ))}
          <button type="button" class="icon" aria-label="Dismiss" onClick={() => dismissToast(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
