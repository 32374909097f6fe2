/**
 * The top-level members of a JSON object with each value kept as its source
 * text. daprd decodes published JSON with UseNumber, so integers above 2^53
 * reach subscribers exactly; JSON.parse + stringify would round them.
 * Returns undefined when `text` is not a JSON object.
 */
export function jsonObjectMembers(text: string): Map<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;

  // The text is valid JSON from here on, so the scanner can stay simple.
  const members = new Map<string, string>();
  let i = text.indexOf("{") + 1;
  for (;;) {
    i = skipSpace(text, i);
    if (text[i] === "}") return members;
    if (text[i] === ",") {
      i = skipSpace(text, i + 1);
    }
    const keyEnd = endOfString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    i = skipSpace(text, i + 1); // the colon
    const valueEnd = endOfValue(text, i);
    members.set(key, text.slice(i, valueEnd));
    i = valueEnd;
  }
}

/** Serialises members produced by jsonObjectMembers (values are JSON text). */
export function jsonObjectText(members: Map<string, string>): string {
  const parts: string[] = [];
  for (const [key, value] of members) parts.push(`${JSON.stringify(key)}:${value}`);
  return `{${parts.join(",")}}`;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  return i;
}

function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") i += 2;
    else if (c === '"') return i + 1;
    else i++;
  }
  return i;
}

function endOfValue(text: string, start: number): number {
  const first = text[start];
  if (first === '"') return endOfString(text, start);
  if (first === "{" || first === "[") {
    let depth = 0;
    let i = start;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i = endOfString(text, i);
        continue;
      }
      if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  let i = start;
  while (i < text.length && !",}] \t\n\r".includes(text[i] as string)) i++;
  return i;
}
