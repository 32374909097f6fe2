/**
 * Runs tasks one after another per key (e.g. per user), and tasks of
 * different keys side by side. Keeps one replica's own writes to a user's
 * state items from racing each other, so the order of its appends is the
 * order of its calls.
 */
export function createPerKeySerial() {
  const tails = new Map<string, Promise<void>>();
  return function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}

export type PerKeySerial = ReturnType<typeof createPerKeySerial>;
