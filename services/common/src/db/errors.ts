/**
 * SQLSTATE helpers that read errors of both adapters: PGlite names the
 * violated constraint `constraint`, the postgres package `constraint_name`.
 */
export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function constraintOf(error: unknown): string | undefined {
  const { constraint, constraint_name } = (error ?? {}) as { constraint?: unknown; constraint_name?: unknown };
  if (typeof constraint === "string") return constraint;
  if (typeof constraint_name === "string") return constraint_name;
  return undefined;
}

/** A unique_violation (23505), optionally of one named constraint or unique index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (sqlStateOf(error) !== "23505") return false;
  return constraint === undefined || constraintOf(error) === constraint;
}
