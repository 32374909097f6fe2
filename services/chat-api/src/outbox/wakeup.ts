/**
 * The relay's waits: an idle wait ends early on notify(), a back-off does
 * not; both end on interrupt() so stop() never waits out a timer.
 */
export interface Wakeup {
  notify(): void;
  /** Forgets notifies that arrived before now (the caller is about to look anyway). */
  clearNotified(): void;
  sleep(ms: number, options: { onNotify: boolean }): Promise<void>;
  interrupt(): void;
}

export function createWakeup(): Wakeup {
  let notified = false;
  let current: { resolve: () => void; onNotify: boolean } | undefined;

  const finish = () => {
    const waiting = current;
    current = undefined;
    waiting?.resolve();
  };

  return {
    notify() {
      notified = true;
      if (current?.onNotify) finish();
    },
    clearNotified() {
      notified = false;
    },
    sleep(ms, { onNotify }) {
      if (onNotify && notified) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(finish, ms);
        current = {
          onNotify,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
      });
    },
    interrupt: finish,
  };
}
