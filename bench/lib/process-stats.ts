import { readFileSync } from "node:fs";

/** Resident set size of a process in bytes (Linux /proc); undefined once it is gone. */
export function rssBytes(pid: number): number | undefined {
  try {
    const match = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far (Linux /proc). */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // After "pid (comm) ", utime and stime are fields 12 and 13 (0-based), in clock ticks.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every intervalMs until stopped; reports the largest. */
export function sampleRss(pid: number, intervalMs = 250) {
  let max = rssBytes(pid) ?? 0;
  const timer = setInterval(() => (max = Math.max(max, rssBytes(pid) ?? 0)), intervalMs);
  return {
    stop(): number {
      clearInterval(timer);
      return Math.max(max, rssBytes(pid) ?? 0);
    },
  };
}
