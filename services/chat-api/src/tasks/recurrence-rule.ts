import { RRule } from "rrule";

/**
 * RFC 5545 RRULE validation. The `rrule` package parses leniently (it takes
 * `COUNT=x`, `INTERVAL=0`, `BYMONTHDAY=40`), so each part is checked against
 * the RFC's grammar and ranges first; `rrule` then parses the rule and writes
 * it back in canonical form, which is what we store and publish.
 *
 * Decisions: the task's `dueAt` is the series anchor, so a rule may not carry
 * its own DTSTART (nor RDATE/EXDATE lines): only the RRULE value, optionally
 * prefixed `RRULE:`. SECONDLY and MINUTELY are refused: a todo that recurs
 * faster than hourly is not a task. Whether a rule ever yields another date
 * is not checked (answering that can take rrule seconds of iteration).
 */
export type RecurrenceResult = { ok: true; rule: string } | { ok: false; message: string };

const MAX_RULE_LENGTH = 1000;
const WEEKDAY = "(SU|MO|TU|WE|TH|FR|SA)";
const FREQUENCIES = new Set(["HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"]);

interface PartRule {
  pattern: RegExp;
  /** Extra check on each comma-separated value (ranges the pattern cannot say). */
  each?: (value: string) => boolean;
}

const list = (item: string) => new RegExp(`^${item}(,${item})*$`);
const signedInRange = (min: number, max: number) => (value: string) => {
  const magnitude = Math.abs(Number(value));
  return magnitude >= min && magnitude <= max;
};
const inRange = (min: number, max: number) => (value: string) => Number(value) >= min && Number(value) <= max;

const PARTS: Record<string, PartRule> = {
  FREQ: { pattern: /^[A-Z]+$/ },
  UNTIL: { pattern: /^\d{8}(T\d{6}Z?)?$/, each: isCalendarStamp },
  COUNT: { pattern: /^\d{1,6}$/, each: inRange(1, 999_999) },
  INTERVAL: { pattern: /^\d{1,4}$/, each: inRange(1, 9999) },
  BYSECOND: { pattern: list("\\d{1,2}"), each: inRange(0, 60) },
  BYMINUTE: { pattern: list("\\d{1,2}"), each: inRange(0, 59) },
  BYHOUR: { pattern: list("\\d{1,2}"), each: inRange(0, 23) },
  BYDAY: { pattern: list(`([+-]?\\d{1,2})?${WEEKDAY}`), each: (value) => ordinalOk(value.slice(0, -2)) },
  BYMONTHDAY: { pattern: list("[+-]?\\d{1,2}"), each: signedInRange(1, 31) },
  BYYEARDAY: { pattern: list("[+-]?\\d{1,3}"), each: signedInRange(1, 366) },
  BYWEEKNO: { pattern: list("[+-]?\\d{1,2}"), each: signedInRange(1, 53) },
  BYMONTH: { pattern: list("\\d{1,2}"), each: inRange(1, 12) },
  BYSETPOS: { pattern: list("[+-]?\\d{1,3}"), each: signedInRange(1, 366) },
  WKST: { pattern: new RegExp(`^${WEEKDAY}$`) },
};

export function parseRecurrence(text: string): RecurrenceResult {
  const body = text.trim().replace(/^RRULE:/i, "").toUpperCase();
  if (body.length === 0) return { ok: false, message: "must not be empty" };
  if (body.length > MAX_RULE_LENGTH) return { ok: false, message: `must be at most ${MAX_RULE_LENGTH} characters` };
  if (/[\r\n]/.test(body) || body.includes("DTSTART")) {
    return { ok: false, message: "must be a single RRULE without DTSTART (the task's dueAt anchors the series)" };
  }
  const seen = new Set<string>();
  for (const part of body.split(";")) {
    const [name = "", value, ...rest] = part.split("=");
    const rule = PARTS[name];
    if (!rule) return { ok: false, message: `unknown RRULE part '${name}'` };
    if (value === undefined || rest.length > 0 || !rule.pattern.test(value)) return { ok: false, message: `invalid ${name} value` };
    if (rule.each && !value.split(",").every(rule.each)) return { ok: false, message: `${name} value out of range` };
    if (seen.has(name)) return { ok: false, message: `${name} given twice` };
    seen.add(name);
  }
  const freq = /(?:^|;)FREQ=([A-Z]+)/.exec(body)?.[1];
  if (!freq) return { ok: false, message: "must name its FREQ" };
  if (!FREQUENCIES.has(freq)) return { ok: false, message: `FREQ=${freq} is not supported (HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY)` };
  if (seen.has("COUNT") && seen.has("UNTIL")) return { ok: false, message: "COUNT and UNTIL must not both be given (RFC 5545)" };
  try {
    // rrule would store a date-only UNTIL as that day's midnight, dropping the day itself;
    // a user who says "until June 10" means the whole day.
    const wholeDays = body.replace(/(^|;)UNTIL=(\d{8})(?=;|$)/, "$1UNTIL=$2T235959Z");
    const canonical = new RRule(RRule.parseString(wholeDays)).toString().replace(/^RRULE:/, "");
    return { ok: true, rule: canonical };
  } catch (error) {
    return { ok: false, message: `not a valid RRULE: ${(error as Error).message}` };
  }
}

function ordinalOk(ordinal: string): boolean {
  return ordinal === "" || signedInRange(1, 53)(ordinal);
}

/** UNTIL as YYYYMMDD or YYYYMMDDThhmmss[Z], with a date that exists. */
function isCalendarStamp(value: string): boolean {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(4, 6));
  const day = Number(value.slice(6, 8));
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (value.length === 8) return true;
  const hour = Number(value.slice(9, 11));
  const minute = Number(value.slice(11, 13));
  const second = Number(value.slice(13, 15));
  return hour <= 23 && minute <= 59 && second <= 59;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
