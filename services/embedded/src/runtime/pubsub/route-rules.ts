/**
 * Routing rules of a programmatic subscription. daprd evaluates CEL over the
 * CloudEvent; we support the form our services use, an equality on a
 * top-level attribute (`event.type == "todo.task.created.v1"`). Anything else
 * is reported so the caller can warn and skip the rule.
 */
export interface RouteRule {
  /** The CEL text as the app declared it; "" for the default route. */
  match: string;
  path: string;
  matches(event: Record<string, unknown>): boolean;
}

const equality = /^\s*event\.([A-Za-z_][A-Za-z0-9_]*)\s*==\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*$/;
const reversed = /^\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*==\s*event\.([A-Za-z_][A-Za-z0-9_]*)\s*$/;

/** Undefined when the expression is outside the supported subset. */
export function compileRule(match: string, path: string): RouteRule | undefined {
  if (match.trim() === "") return { match: "", path, matches: () => true };
  const direct = equality.exec(match);
  const flipped = direct ? undefined : reversed.exec(match);
  const attribute = direct?.[1] ?? flipped?.[2];
  const literal = direct?.[2] ?? flipped?.[1];
  if (attribute === undefined || literal === undefined) return undefined;
  const expected = celString(literal);
  if (expected === undefined) return undefined;
  return { match, path, matches: (event) => event[attribute] === expected };
}

/** The path of the first matching rule; undefined when none matches (daprd acks it, to the dead-letter topic when there is one). */
export function chooseRoute(rules: RouteRule[], event: Record<string, unknown>): string | undefined {
  return rules.find((rule) => rule.matches(event))?.path;
}

function celString(literal: string): string | undefined {
  const body = literal.slice(1, -1);
  const asDoubleQuoted = literal.startsWith("'") ? body.replace(/\\'/g, "'").replace(/"/g, '\\"') : body;
  try {
    return JSON.parse(`"${asDoubleQuoted}"`) as string;
  } catch {
    return undefined;
  }
}
