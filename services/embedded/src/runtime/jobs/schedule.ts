import { Cron } from "croner";
import { toCronerPattern } from "./cron-pattern.ts";
import { parseGoDuration } from "./go-duration.ts";

/** When a recurring job fires next: strictly after `after` (epoch ms), or never. */
export interface Schedule {
  next(after: number): number | undefined;
}

export type ScheduleResult = { ok: true; schedule: Schedule } | { ok: false; error: string };

// The descriptors of dapr/kit's cron parser, as six-field patterns.
const descriptors: Record<string, string> = {
  "@yearly": "0 0 0 1 1 *",
  "@annually": "0 0 0 1 1 *",
  "@monthly": "0 0 0 1 * *",
  "@weekly": "0 0 0 * * 0",
  "@daily": "0 0 0 * * *",
  "@midnight": "0 0 0 * * *",
  "@hourly": "0 0 * * * *",
};

/**
 * A job schedule as the Dapr Scheduler reads it: six cron fields with seconds,
 * a descriptor, or `@every <Go duration>`, optionally prefixed by `TZ=Area/City `
 * (or `CRON_TZ=`). Without a prefix the zone is UTC (daprd uses the Scheduler
 * host's zone, which is UTC in its containers).
 */
export function parseSchedule(text: string): ScheduleResult {
  let spec = text;
  let timezone: string | undefined = "UTC";
  if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
    const space = spec.search(/\s/);
    if (space === -1) return { ok: false, error: `timezone prefix ${spec} is not followed by a schedule` };
    const zone = spec.slice(spec.indexOf("=") + 1, space);
    if (!isKnownTimeZone(zone)) return { ok: false, error: `provided bad location ${zone}` };
    // Go's LoadLocation: "" is UTC, "Local" the host's zone.
    timezone = zone === "" ? "UTC" : zone === "Local" ? undefined : zone;
    spec = spec.slice(space).trim();
  }
  if (spec.trim() === "") return { ok: false, error: "empty spec string" };

  if (spec.startsWith("@every ")) return everySchedule(spec.slice("@every ".length));
  if (spec.startsWith("@")) {
    const pattern = descriptors[spec];
    if (pattern === undefined) return { ok: false, error: `unrecognized descriptor: ${spec}` };
    return cronSchedule(pattern, timezone);
  }
  const pattern = toCronerPattern(spec);
  if (!pattern.ok) return pattern;
  return cronSchedule(pattern.pattern, timezone);
}

function everySchedule(durationText: string): ScheduleResult {
  const duration = parseGoDuration(durationText);
  if (duration === undefined) return { ok: false, error: `failed to parse duration @every ${durationText}` };
  // Go's cron would turn a zero or negative interval into 1 ms, a job that
  // never stops firing; refusing it is kinder.
  if (duration <= 0) return { ok: false, error: `@every needs a positive duration: ${durationText}` };
  // dapr/kit rounds the interval to whole milliseconds, at least 1 ms.
  const interval = Math.max(1, Math.floor(duration));
  return { ok: true, schedule: { next: (after) => after + interval } };
}

function cronSchedule(pattern: string, timezone: string | undefined): ScheduleResult {
  let cron: Cron;
  try {
    cron = new Cron(pattern, { mode: "6-part", timezone, paused: true });
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  return {
    ok: true,
    schedule: {
      next: (after) => cron.nextRun(new Date(after))?.getTime(),
    },
  };
}

function isKnownTimeZone(zone: string): boolean {
  if (zone === "" || zone === "UTC" || zone === "Local") return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
