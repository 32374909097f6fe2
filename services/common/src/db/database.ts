/**
 * The one SQL interface of chat-api. Two adapters implement it with the same
 * SQL: PGlite (embedded, file-backed under DATA_DIR) and a real PostgreSQL
 * server through the `postgres` package (DATABASE_URL).
 * Parameters are positional ($1, $2...). timestamptz columns come back as
 * Date, integer/smallint as number, bigint (bigserial) as string on both
 * adapters, text[] as string[], jsonb as parsed JSON.
 */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Database extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
