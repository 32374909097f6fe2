import { useSignal } from "@preact/signals";
import { api } from "../lib/api.ts";
import { describeFailure } from "../lib/errors.ts";

/** The secret calendar feed URL: create or show it, copy it, or replace it (the old link then stops working). */
export default function CalendarFeed() {
  const url = useSignal<string | null | undefined>(undefined);
  const status = useSignal("");
  const load = async () => {
    if (url.value !== undefined) return;
    try {
      const feed = await api<{ path: string | null }>("GET", "/api/calendar/feed");
      url.value = feed.path ? location.origin + feed.path : null;
    } catch (error) {
      status.value = describeFailure(error).text;
    }
  };
  const rotate = async () => {
    try {
      const feed = await api<{ path: string }>("POST", "/api/calendar/feed");
      const replaced = Boolean(url.value);
      url.value = location.origin + feed.path;
      status.value = replaced ? "New link made. The old one no longer works." : "Link made.";
    } catch (error) {
      status.value = describeFailure(error).text;
    }
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url.value!);
      status.value = "Copied.";
    } catch {
      status.value = "Could not copy: select the link and copy it.";
    }
  };
  return (
    <details class="calendar-feed" onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && void load()}>
      <summary>Calendar feed</summary>
      <p class="hint">
        Subscribe to this private link in Google Calendar, Apple Calendar or Thunderbird to see tasks with a due date there. Anyone with the link can see
        them.
      </p>
      {url.value && (
        <p class="field">
          <label for="calendar-url">Your calendar link</label>
          <input id="calendar-url" readOnly value={url.value} onFocus={(e) => e.currentTarget.select()} />
        </p>
      )}
      <p class="actions">
        {url.value && (
          <button type="button" class="primary" onClick={copy}>
            Copy link
          </button>
        )}
        {url.value !== undefined && (
          <button type="button" onClick={rotate}>
            {url.value ? "Make a new link" : "Create link"}
          </button>
        )}
      </p>
      <p class="hint" role="status">
        {status.value}
      </p>
    </details>
  );
}
