import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { startBoardSync } from "../lib/board-store.ts";
import { connection } from "../lib/live.ts";
import { session, signOut } from "../lib/session.ts";

const CONNECTION_TEXT = { online: "Live", connecting: "Connecting…", offline: "Offline, reconnecting" } as const;

/** Who is signed in, whether live updates flow, browser notifications, and sign out. */
export default function SessionBar() {
  const permission = useSignal(typeof Notification === "undefined" ? "unsupported" : Notification.permission);
  useEffect(() => startBoardSync(), []);
  const current = session.value;
  if (!current) return null;

  const askPermission = async () => {
    permission.value = await Notification.requestPermission();
  };
  return (
    <div class="session-bar">
      <span class="connection" data-state={connection.value} role="status" aria-live="polite">
        <span class="dot" aria-hidden="true" />
        {CONNECTION_TEXT[connection.value]}
      </span>
      {permission.value === "default" && (
        <button type="button" onClick={askPermission}>
          Enable notifications
        </button>
      )}
      <span class="who" title={current.user.email}>
        {current.user.name || current.user.email}
      </span>
      <button type="button" onClick={signOut}>
        Sign out
      </button>
    </div>
  );
}
