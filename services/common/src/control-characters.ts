import { Elysia } from "elysia";
import { AppError } from "./http-errors.ts";

/**
 * C0 controls but tab, line feed and carriage return; DEL and C1 controls;
 * and the bidirectional overrides and isolates, which make a title display
 * as something else than it says. NUL in particular reached PostgreSQL,
 * which cannot store it in text, and came back as a 500.
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** The JSON pointer of the first string (or key) in `value` with a control character, if any. */
export function findControlCharacter(value: unknown, path = ""): string | undefined {
  if (typeof value === "string") return CONTROL.test(value) ? path || "/" : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findControlCharacter(value[i], `${path}/${i}`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const here = `${path}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
      if (CONTROL.test(key)) return here;
      const found = findControlCharacter(item, here);
      if (found) return found;
    }
  }
  return undefined;
}

export function controlCharacterError(where: string, path: string): AppError {
  const message = `${where} ${path} contains a control character`;
  return new AppError(400, "invalid_request", message, [{ path, message }]);
}

/**
 * Refuses (400, naming the field) a control character anywhere in a JSON
 * body, the query string or a path parameter of any route, before the
 * route's own validation: one rule for every input.
 */
export function refuseControlCharacters() {
  return new Elysia({ name: "control-characters" }).onTransform({ as: "global" }, function (...args: unknown[]) {
    const { body, query, params } = parsedInputs(args[0]);
    const inQuery = findControlCharacter(query);
    if (inQuery) throw controlCharacterError("query parameter", inQuery);
    const inParams = findControlCharacter(params);
    if (inParams) throw controlCharacterError("path parameter", inParams);
    const inBody = findControlCharacter(body);
    if (inBody) throw controlCharacterError("field", inBody);
  });
}

/**
 * The inputs Elysia has parsed for this route. Read through `arguments`, not
 * a destructured parameter: Elysia infers from a hook's source which inputs
 * any route needs, and a global hook naming `body` would make it parse a
 * body on every route (a bodyless POST saying application/json then failed
 * as malformed JSON). Routes that take a body have parsed it by now.
 */
export function parsedInputs(context: unknown): { body: unknown; query: unknown; params: unknown } {
  const inputs = context as Record<string, unknown>;
  return { body: inputs["body"], query: inputs["query"], params: inputs["params"] };
}
