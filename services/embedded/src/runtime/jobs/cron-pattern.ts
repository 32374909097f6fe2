/**
 * The six cron fields daprd accepts (`sec min hour dom mon dow`, robfig/cron
 * grammar as forked in dapr/kit), checked and rewritten into plain numeric
 * ranges for croner. Doing the check here keeps croner's extensions (L, W, #,
 * a year field) out, and gives robfig's meaning to its quirks: `?` is `*`,
 * `N/step` runs from N to the field's max, and day-of-month and day-of-week
 * are OR-ed only when neither is a star (croner does the same for the
 * canonical forms emitted here).
 */
interface Field {
  label: string;
  min: number;
  max: number;
  names?: Record<string, number>;
}

const monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const fields: Field[] = [
  { label: "second", min: 0, max: 59 },
  { label: "minute", min: 0, max: 59 },
  { label: "hour", min: 0, max: 23 },
  { label: "day of month", min: 1, max: 31 },
  { label: "month", min: 1, max: 12, names: Object.fromEntries(monthNames.map((n, i) => [n, i + 1])) },
  { label: "day of week", min: 0, max: 6, names: Object.fromEntries(dayNames.map((n, i) => [n, i])) },
];

export type CronPatternResult = { ok: true; pattern: string } | { ok: false; error: string };

export function toCronerPattern(spec: string): CronPatternResult {
  const parts = spec.trim().split(/\s+/);
  if (parts.length !== fields.length) {
    return { ok: false, error: `expected exactly ${fields.length} fields, found ${parts.length}: ${spec}` };
  }
  const out: string[] = [];
  for (const [index, field] of fields.entries()) {
    const result = normalizeField(parts[index] ?? "", field);
    if (!result.ok) return result;
    out.push(result.pattern);
  }
  return { ok: true, pattern: out.join(" ") };
}

function normalizeField(text: string, field: Field): CronPatternResult {
  const ranges = text.split(",");
  const out: string[] = [];
  for (const expr of ranges) {
    const range = normalizeRange(expr, field);
    if (!range.ok) return range;
    out.push(range.pattern);
  }
  // A star anywhere makes the whole field a star (robfig ORs the bits).
  return { ok: true, pattern: out.includes("*") ? "*" : out.join(",") };
}

function normalizeRange(expr: string, field: Field): CronPatternResult {
  const bad = (why: string): CronPatternResult => ({ ok: false, error: `${why} in ${field.label} field: ${expr}` });
  if (expr === "") return bad("empty range");
  const rangeAndStep = expr.split("/");
  if (rangeAndStep.length > 2) return bad("too many slashes");
  const [rangeText = "", stepText] = rangeAndStep;
  const lowAndHigh = rangeText.split("-");
  if (lowAndHigh.length > 2) return bad("too many hyphens");

  const isStar = rangeText === "*" || rangeText === "?";
  let start = field.min;
  let end = field.max;
  if (!isStar) {
    const low = parseValue(lowAndHigh[0] ?? "", field);
    if (low === undefined) return bad(`invalid value "${lowAndHigh[0]}"`);
    start = low;
    end = low;
    if (lowAndHigh.length === 2) {
      const high = parseValue(lowAndHigh[1] ?? "", field);
      if (high === undefined) return bad(`invalid value "${lowAndHigh[1]}"`);
      end = high;
    }
  }

  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText)) return bad(`invalid step "${stepText}"`);
    step = Number(stepText);
    if (step === 0) return bad("step must be a positive number");
    // robfig: "N/step" means "N-max/step".
    if (!isStar && lowAndHigh.length === 1) end = field.max;
  }

  if (start < field.min) return bad(`beginning of range (${start}) below minimum (${field.min})`);
  if (end > field.max) return bad(`end of range (${end}) above maximum (${field.max})`);
  if (start > end) return bad(`beginning of range (${start}) beyond end of range (${end})`);

  if (isStar && step === 1) return { ok: true, pattern: "*" };
  if (start === end) return { ok: true, pattern: String(start) };
  return { ok: true, pattern: step === 1 ? `${start}-${end}` : `${start}-${end}/${step}` };
}

function parseValue(text: string, field: Field): number | undefined {
  const named = field.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text)) return undefined;
  return Number(text);
}
