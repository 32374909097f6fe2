/** A set of the last `max` ids seen: enough to drop duplicates that arrive close together, with bounded memory. */
export function createRecentIds(max: number) {
  const ids = new Set<string>();
  return {
    /** True the first time an id is offered; false when it is among the recent ones. */
    admit(id: string): boolean {
      if (ids.has(id)) return false;
      ids.add(id);
      // A Set iterates in insertion order: the first id is the oldest.
      if (ids.size > max) ids.delete(ids.values().next().value!);
      return true;
    },
    has(id: string): boolean {
      return ids.has(id);
    },
  };
}

export type RecentIds = ReturnType<typeof createRecentIds>;
