/**
 * Kafka-like partitioning: the same key always lands in the same partition,
 * so one task's events stay in order. FNV-1a keeps it stable across restarts
 * and processes (unlike anything seeded per run).
 */
export function partitionFor(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(key)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % Math.max(1, partitions);
}
