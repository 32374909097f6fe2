/**
 * The recurrence editor's model: the form's state and the RFC 5545 RRULE
 * value it stands for, both ways. The editor offers daily / weekly on days /
 * monthly on a day / yearly, an interval, and an end (never, after N times,
 * on a date). A rule with parts the form cannot show (BYSETPOS, HOURLY...)
 * reads back as undefined, so the editor can say so instead of losing them.
 */
export const FREQUENCIES = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type RecurrenceEnd = { kind: "never" } | { kind: "after"; count: number } | { kind: "on"; date: string };

export interface RecurrenceForm {
  frequency: Frequency;
  interval: number;
  /** WEEKLY only; empty means the due date's weekday. */
  weekdays: Weekday[];
  /** MONTHLY only; null means the due date's day of the month. */
  monthDay: number | null;
  end: RecurrenceEnd;
}

export const DEFAULT_FORM: RecurrenceForm = { frequency: "WEEKLY", interval: 1, weekdays: [], monthDay: null, end: { kind: "never" } };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The RRULE value (no "RRULE:" prefix) a form describes. Invalid numbers are clamped to what the API accepts. */
export function toRRule(form: RecurrenceForm): string {
  const parts = [`FREQ=${form.frequency}`];
  const interval = clampInteger(form.interval, 1, 9999);
  if (interval > 1) parts.push(`INTERVAL=${interval}`);
  if (form.frequency === "WEEKLY" && form.weekdays.length > 0) {
    parts.push(`BYDAY=${WEEKDAYS.filter((day) => form.weekdays.includes(day)).join(",")}`);
  }
  if (form.frequency === "MONTHLY" && form.monthDay !== null) parts.push(`BYMONTHDAY=${clampInteger(form.monthDay, 1, 31)}`);
  if (form.end.kind === "after") parts.push(`COUNT=${clampInteger(form.end.count, 1, 999_999)}`);
  if (form.end.kind === "on") {
    const date = DATE.exec(form.end.date);
    // A date-only UNTIL: the API keeps that whole day in the series.
    if (date) parts.push(`UNTIL=${date[1]}${date[2]}${date[3]}`);
  }
  return parts.join(";");
}

/** The form for a rule, or undefined when the rule uses parts this editor does not offer. */
export function fromRRule(rule: string): RecurrenceForm | undefined {
  const form: RecurrenceForm = { ...DEFAULT_FORM, weekdays: [], end: { kind: "never" } };
  let frequency: Frequency | undefined;
  for (const part of rule.trim().replace(/^RRULE:/i, "").toUpperCase().split(";")) {
    const [name, value = ""] = part.split("=");
    switch (name) {
      case "FREQ":
        if (!(FREQUENCIES as readonly string[]).includes(value)) return undefined;
        frequency = value as Frequency;
        break;
      case "INTERVAL":
        if (!/^\d+$/.test(value) || Number(value) < 1) return undefined;
        form.interval = Number(value);
        break;
      case "BYDAY": {
        const days = value.split(",");
        if (!days.every((day) => (WEEKDAYS as readonly string[]).includes(day))) return undefined;
        form.weekdays = WEEKDAYS.filter((day) => days.includes(day));
        break;
      }
      case "BYMONTHDAY":
        if (!/^\d{1,2}$/.test(value) || Number(value) < 1 || Number(value) > 31) return undefined;
        form.monthDay = Number(value);
        break;
      case "COUNT":
        if (!/^\d+$/.test(value) || Number(value) < 1) return undefined;
        form.end = { kind: "after", count: Number(value) };
        break;
      case "UNTIL": {
        const stamp = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?$/.exec(value);
        if (!stamp) return undefined;
        form.end = { kind: "on", date: `${stamp[1]}-${stamp[2]}-${stamp[3]}` };
        break;
      }
      case "WKST":
        break; // Week start only matters with weekly intervals over 1; the form keeps Monday.
      default:
        return undefined;
    }
  }
  if (!frequency) return undefined;
  form.frequency = frequency;
  if (form.weekdays.length > 0 && frequency !== "WEEKLY") return undefined;
  if (form.monthDay !== null && frequency !== "MONTHLY") return undefined;
  return form;
}

/** Words for each frequency: its name in the editor, and its unit in one and many. */
export const FREQUENCY_WORDS: Record<Frequency, { name: string; one: string; many: string }> = {
  DAILY: { name: "Daily", one: "day", many: "days" },
  WEEKLY: { name: "Weekly", one: "week", many: "weeks" },
  MONTHLY: { name: "Monthly", one: "month", many: "months" },
  YEARLY: { name: "Yearly", one: "year", many: "years" },
};
export const DAY_NAMES: Record<Weekday, string> = { MO: "Mon", TU: "Tue", WE: "Wed", TH: "Thu", FR: "Fri", SA: "Sat", SU: "Sun" };

/** Short words for a rule ("Every 2 weeks on Mon, Wed, 5 times"), for the recurring badge; the raw rule when the form cannot read it. */
export function describeRRule(rule: string): string {
  const form = fromRRule(rule);
  if (!form) return rule;
  const { one, many } = FREQUENCY_WORDS[form.frequency];
  let text = form.interval === 1 ? `Every ${one}` : `Every ${form.interval} ${many}`;
  if (form.frequency === "DAILY" && form.interval === 1) text = "Daily";
  if (form.weekdays.length > 0) text += ` on ${form.weekdays.map((day) => DAY_NAMES[day]).join(", ")}`;
  if (form.monthDay !== null) text += ` on day ${form.monthDay}`;
  if (form.end.kind === "after") text += form.end.count === 1 ? ", once" : `, ${form.end.count} times`;
  if (form.end.kind === "on") text += `, until ${form.end.date}`;
  return text;
}

function clampInteger(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.round(value)));
}
