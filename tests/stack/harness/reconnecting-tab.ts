/**
 * A tab as the web page keeps it: when its socket closes (the websocket
 * service died), it connects again with `after=<the last event it applied>`
 * until the service answers, and carries on with the replay. Its frames are
 * those of every connection, in arrival order.
 */
import { waitFor } from "@todo/testkit";
import { openTab, type BrowserTab, type Frame } from "@todo/testkit/browser-tab";

export const SYNC_RESET = "todo.sync.reset.v1";
const RECONNECT_INTERVAL_MS = 250;
const RECONNECT_TIMEOUT_MS = 120_000;

export interface ReconnectingTab extends Pick<BrowserTab, "frames" | "nextFrame"> {
  /** Connections opened after the first one. */
  reconnects(): number;
  /** Frames telling the tab its replay had a gap (it would refetch through REST). */
  resets(): Frame[];
  /** Resolves once the tab is connected again after its `n`-th close. */
  reconnected(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function openReconnectingTab(baseUrl: string, token: string): Promise<ReconnectingTab> {
  const earlier: Frame[] = [];
  let current: BrowserTab = await openTab(baseUrl, { token });
  let reconnects = 0;
  let closing = false;

  const frames = () => [...earlier, ...current.frames];
  // The id of the last catalogue event applied: a reset frame's id is never in the journal.
  const lastEventId = () => frames().findLast((frame) => frame.type !== SYNC_RESET)?.id;

  const keepConnected = async () => {
    while (!closing) {
      await current.closed;
      if (closing) return;
      earlier.push(...current.frames);
      const after = lastEventId();
      current = await waitFor(() => openTab(baseUrl, after === undefined ? { token } : { token, after }).catch(() => undefined), {
        timeoutMs: RECONNECT_TIMEOUT_MS,
        intervalMs: RECONNECT_INTERVAL_MS,
        message: "the tab to connect again",
      });
      reconnects++;
    }
  };
  const connection = keepConnected();

  return {
    get frames() {
      return frames();
    },
    reconnects: () => reconnects,
    resets: () => frames().filter((frame) => frame.type === SYNC_RESET),
    async reconnected(n) {
      await waitFor(() => reconnects >= n, { timeoutMs: RECONNECT_TIMEOUT_MS, intervalMs: 100, message: `the tab to reconnect (${n})` });
    },
    async nextFrame(match, message, timeoutMs = 5000) {
      return await waitFor(() => frames().find(match), { message, timeoutMs, describe: () => `${frames().length} frames, ${reconnects} reconnects` });
    },
    async close() {
      closing = true;
      await current.close();
      await connection.catch(() => undefined);
    },
  };
}
