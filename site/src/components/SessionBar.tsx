import { useEffect } from "preact/hooks";
import { queuedCount, startBoardSync } from "../lib/board-store.ts";
import { connection } from "../lib/live.ts";
import { session, signOut } from "../lib/session.ts";

const CONNECTION_TEXT = { online: "Live", connecting: "Connecting…", offline: "Offline, reconnecting" } as const;

/** Who is signed in, whether live updates flow (the socket's state), changes waiting to be sent, and sign out. */
export default function SessionBar() {
  useEffect(() => startBoardSync(), []);
  const current = session.value;
  if (!current) return null;
  const waiting = queuedCount.value;
  return (
    <div class="session-bar">
      <span class="connection" data-state={connection.value} role="status" aria-live="polite">
        <span class="dot" aria-hidden="true" />
        {CONNECTION_TEXT[connection.value]}
        {waiting > 0 && `, ${waiting} ${waiting === 1 ? "change" : "changes"} not saved yet`}
      </span>
      <span class="who" title={current.user.email}>
        {current.user.name || current.user.email}
      </span>
      <button type="button" onClick={signOut}>
        Sign out
      </button>
    </div>
  );
}
