/**
 * Due times by key, earliest first: a binary min-heap with a position index,
 * so setting, moving and removing a key are O(log n) and the earliest is O(1).
 * Ties keep no particular order.
 */
export interface TimerHeap {
  readonly size: number;
  /** Adds the key, or moves it to a new due time. */
  set(key: string, at: number): void;
  delete(key: string): boolean;
  peek(): { key: string; at: number } | undefined;
  pop(): { key: string; at: number } | undefined;
  clear(): void;
}

interface Entry {
  key: string;
  at: number;
}

export function createTimerHeap(): TimerHeap {
  const entries: Entry[] = [];
  const positions = new Map<string, number>();

  const place = (index: number, entry: Entry) => {
    entries[index] = entry;
    positions.set(entry.key, index);
  };

  const siftUp = (start: number) => {
    let index = start;
    const entry = entries[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = entries[parentIndex]!;
      if (parent.at <= entry.at) break;
      place(index, parent);
      index = parentIndex;
    }
    place(index, entry);
  };

  const siftDown = (start: number) => {
    let index = start;
    const entry = entries[index]!;
    const length = entries.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && entries[right]!.at < entries[left]!.at ? right : left;
      if (entries[child]!.at >= entry.at) break;
      place(index, entries[child]!);
      index = child;
    }
    place(index, entry);
  };

  const removeAt = (index: number): Entry => {
    const removed = entries[index]!;
    positions.delete(removed.key);
    const last = entries.pop()!;
    if (index < entries.length) {
      place(index, last);
      siftDown(index);
      siftUp(positions.get(last.key)!);
    }
    return removed;
  };

  return {
    get size() {
      return entries.length;
    },
    set(key, at) {
      const index = positions.get(key);
      if (index === undefined) {
        entries.push({ key, at });
        siftUp(entries.length - 1);
        return;
      }
      const entry = entries[index]!;
      const earlier = at < entry.at;
      entry.at = at;
      if (earlier) siftUp(index);
      else siftDown(index);
    },
    delete(key) {
      const index = positions.get(key);
      if (index === undefined) return false;
      removeAt(index);
      return true;
    },
    peek() {
      const top = entries[0];
      return top && { key: top.key, at: top.at };
    },
    pop() {
      if (entries.length === 0) return undefined;
      const top = removeAt(0);
      return { key: top.key, at: top.at };
    },
    clear() {
      entries.length = 0;
      positions.clear();
    },
  };
}
