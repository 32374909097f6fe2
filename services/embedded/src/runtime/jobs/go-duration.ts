/**
 * Go's time.ParseDuration, which daprd uses for `@every <d>`, and for dueTime/ttl
 * given "from now" ("30s", "1h30m", "500ms", "-1.5h"). Returns milliseconds
 * (fractional below 1 ms), or undefined when Go would reject the text.
 */
const unitMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "\u00b5s": 1e-3, // micro sign
  "\u03bcs": 1e-3, // Greek small letter mu
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

// Go's Duration is an int64 of nanoseconds: about 292 years.
const maxDurationMs = 9_223_372_036_854.775;

const component = /(\d+\.?\d*|\.\d+)([^\d.]+)/y;

export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    if (rest.startsWith("-")) sign = -1;
    rest = rest.slice(1);
  }
  // Go accepts a bare "0" (and "+0"/"-0") without a unit; nothing else unitless.
  if (rest === "0") return 0;
  if (rest === "") return undefined;

  let total = 0;
  component.lastIndex = 0;
  while (component.lastIndex < rest.length) {
    const match = component.exec(rest);
    if (!match) return undefined;
    const [, amount = "", unit = ""] = match;
    const scale = unitMs[unit];
    if (scale === undefined) return undefined;
    total += Number(amount) * scale;
  }
  if (total > maxDurationMs) return undefined;
  return sign * total;
}
