/**
 * Test-only: a small JSON Schema (draft-07) checker for the keywords the
 * catalogue uses. It refuses any other keyword, so a contract test also proves
 * the exported schemas contain nothing TypeBox-specific a consumer could not read.
 */
type Schema = Record<string, unknown>;

const annotations = new Set(["$schema", "$id", "title", "description"]);
const keywords = new Set([
  "type", "const", "enum", "anyOf", "properties", "required", "additionalProperties", "items",
  "minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "pattern", "minimum", "maximum",
]);

/** Returns the violations as `path: problem` (empty when `value` conforms). Throws on an unknown keyword. */
export function checkJsonSchema(schema: Schema, value: unknown, path = ""): string[] {
  for (const key of Object.keys(schema)) {
    if (!keywords.has(key) && !annotations.has(key)) throw new Error(`${path || "/"}: unsupported keyword ${key}`);
  }
  const problems: string[] = [];
  const at = path || "/";
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => hasType(value, String(type)))) return [`${at}: expected ${types.join("|")}`];
  }
  if ("const" in schema && value !== schema.const) problems.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`${at}: not in enum`);
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((option) => checkJsonSchema(option as Schema, value, path).length === 0)) {
    problems.push(`${at}: matches no anyOf option`);
  }
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && [...value].length < schema.minLength) problems.push(`${at}: too short`);
    if (typeof schema.maxLength === "number" && [...value].length > schema.maxLength) problems.push(`${at}: too long`);
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) problems.push(`${at}: pattern`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) problems.push(`${at}: below minimum`);
    if (typeof schema.maximum === "number" && value > schema.maximum) problems.push(`${at}: above maximum`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) problems.push(`${at}: too few items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) problems.push(`${at}: too many items`);
    if (schema.uniqueItems === true && new Set(value.map((item) => JSON.stringify(item))).size !== value.length) {
      problems.push(`${at}: duplicate items`);
    }
    if (typeof schema.items === "object" && schema.items !== null) {
      value.forEach((item, index) => problems.push(...checkJsonSchema(schema.items as Schema, item, `${path}/${index}`)));
    }
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[]) {
      if (!(name in object)) problems.push(`${path}/${name}: required`);
    }
    for (const [name, child] of Object.entries(object)) {
      const childSchema = properties[name];
      if (childSchema) problems.push(...checkJsonSchema(childSchema, child, `${path}/${name}`));
      else if (schema.additionalProperties === false) problems.push(`${path}/${name}: not allowed`);
    }
  }
  return problems;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "integer":
      return Number.isInteger(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    default:
      return typeof value === type;
  }
}
