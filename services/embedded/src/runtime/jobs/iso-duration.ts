/**
 * Non-repeating ISO-8601 durations ("P1DT2H", "PT30S", "P1Y2M", "P2W"), which
 * the Scheduler accepts for dueTime and ttl. Calendar parts (years, months,
 * days) are added on the UTC calendar like Go's AddDate, so "P1M" from Jan 31
 * normalises into March. A repeating form ("R3/PT1H") is rejected, as daprd does.
 */
export interface IsoDuration {
  years: number;
  months: number;
  days: number;
  /** hours, minutes and seconds, in milliseconds */
  ms: number;
}

const pattern = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseIsoDuration(text: string): IsoDuration | undefined {
  const match = pattern.exec(text);
  if (!match) return undefined;
  const [, y, mo, w, d, h, mi, s] = match;
  if ([y, mo, w, d, h, mi, s].every((part) => part === undefined)) return undefined;
  // "P1DT" has a time designator with no time part.
  if (text.includes("T") && h === undefined && mi === undefined && s === undefined) return undefined;
  const n = (part: string | undefined) => (part === undefined ? 0 : Number(part));
  return {
    years: n(y),
    months: n(mo),
    days: n(w) * 7 + n(d),
    ms: n(h) * 3_600_000 + n(mi) * 60_000 + n(s) * 1_000,
  };
}

export function addIsoDuration(from: number, duration: IsoDuration): number {
  const date = new Date(from);
  if (duration.years !== 0 || duration.months !== 0) {
    date.setUTCFullYear(date.getUTCFullYear() + duration.years, date.getUTCMonth() + duration.months);
  }
  if (duration.days !== 0) date.setUTCDate(date.getUTCDate() + duration.days);
  return date.getTime() + duration.ms;
}
