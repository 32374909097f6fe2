import type { Schedule } from "./schedule.ts";

export interface JobTiming {
  schedule?: Schedule;
  repeats?: number;
  expiresAt?: number;
}

/**
 * The fire after the one due at `lastDueAt` completed (`fired` fires so far,
 * that one included), or undefined when the job is finished. Like the
 * Scheduler, the schedule continues from the last due time, so `@every`
 * does not drift by the trigger's latency. Runs missed while the trigger was
 * slow or the runtime was down are not replayed one by one: the schedule
 * resumes from now.
 */
export function nextFireAfter(timing: JobTiming, fired: number, lastDueAt: number, now: number): number | undefined {
  const { schedule, repeats, expiresAt } = timing;
  if (schedule === undefined) return undefined;
  if (repeats !== undefined && fired >= repeats) return undefined;
  let next = schedule.next(lastDueAt);
  if (next !== undefined && next < now) next = schedule.next(now);
  if (next === undefined) return undefined;
  if (expiresAt !== undefined && next > expiresAt) return undefined;
  return next;
}
