import type { EventJson } from "./event-json.ts";
import { createRecentIds } from "./recent-ids.ts";

export interface ReplayMergeLimits {
  /** Live events held while the replay is sent; past this the tab is too slow and is closed. */
  maxHeld: number;
  /** Ids remembered to drop duplicates (replayed, then arriving live as well). */
  maxRemembered: number;
}

export const DEFAULT_REPLAY_MERGE_LIMITS: ReplayMergeLimits = { maxHeld: 1000, maxRemembered: 2000 };

/**
 * One connection's view of the frames it gets. While the journal replay is
 * sent, live events wait in `hold`; the replay goes out first, then the held
 * events, and `admit` lets each id through only once, so an event that is
 * both in the journal and arrived live is sent once, in journal order.
 */
export function createReplayMerge(limits: ReplayMergeLimits = DEFAULT_REPLAY_MERGE_LIMITS) {
  const held: EventJson[] = [];
  const sent = createRecentIds(limits.maxRemembered);
  return {
    /** False when the hold is full: the caller closes the connection rather than buffer without bound. */
    hold(event: EventJson): boolean {
      if (held.length >= limits.maxHeld) return false;
      held.push(event);
      return true;
    },
    /** The oldest held event, removed from the hold. */
    takeHeld(): EventJson | undefined {
      return held.shift();
    },
    /** True the first time an id is offered (send it); false for one already sent. */
    admit(id: string): boolean {
      return sent.admit(id);
    },
    hasSent(id: string): boolean {
      return sent.has(id);
    },
  };
}

export type ReplayMerge = ReturnType<typeof createReplayMerge>;
