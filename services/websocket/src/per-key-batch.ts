/**
 * Group commit per key (e.g. per user): items of one key are handed to
 * `flush` one batch at a time, in the order they were added; items that
 * arrive while a batch is being flushed form the next one. Keys flush side
 * by side. Each `add` resolves when its batch is flushed, or rejects with the
 * batch's error.
 */
export function createPerKeyBatches<T>(flush: (key: string, items: T[]) => Promise<void>, maxBatch: number) {
  interface Waiting {
    item: T;
    resolve: () => void;
    reject: (error: unknown) => void;
  }
  const queues = new Map<string, Waiting[]>();

  async function drain(key: string, queue: Waiting[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      try {
        await flush(
          key,
          batch.map((waiting) => waiting.item),
        );
        for (const waiting of batch) waiting.resolve();
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    queues.delete(key);
  }

  return function add(key: string, item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const queue = queues.get(key);
      if (queue) return void queue.push({ item, resolve, reject });
      const fresh = [{ item, resolve, reject }];
      queues.set(key, fresh);
      void drain(key, fresh);
    });
  };
}
