import postgres from "postgres";
import type { Database, Queryable } from "./database.ts";
import { createTransactionScope } from "./transaction-scope.ts";

export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  maxConnections?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
}

type Sql = postgres.Sql | postgres.TransactionSql;

/**
 * A real PostgreSQL server through the `postgres` package, whose result
 * parsing is the reference the PGlite adapter matches (see database.ts).
 */
export function openPostgresDatabase(url: string, options: PostgresOptions = {}): Database {
  const sql = postgres(url, {
    max: options.maxConnections ?? 10,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? "chat-api" },
  });
  const scope = createTransactionScope();

  // The postgres package guesses parameter types from JS values (true -> boolean,
  // Date -> timestamptz), which fails e.g. for `true` into a jsonb column. Type 0 lets
  // the server infer each type from the statement, as PGlite does; values are then
  // encoded for that type. undefined is NULL, as on PGlite.
  const serverTyped = (value: unknown) => (value === undefined || value === null ? null : sql.typed(value as never, 0));

  const queryable = (target: Sql): Queryable => ({
    async query<T>(text: string, params?: readonly unknown[]) {
      const args = (params ?? []).map(serverTyped) as postgres.ParameterOrJSON<never>[];
      const result: unknown[] = await target.unsafe(text, args);
      // Without parameters several statements may run (migrations): rows of the last one.
      const last = Array.isArray(result[0]) ? (result.at(-1) as unknown[]) : result;
      return [...last] as T[];
    },
  });
  const direct = queryable(sql);

  return {
    kind: "postgres",
    async query(text, params) {
      scope.assertOutside("query");
      return await direct.query(text, params);
    },
    async transaction(work) {
      scope.assertOutside("transaction");
      const result = await sql.begin((tx) => scope.run(() => work(queryable(tx))));
      return result as Awaited<ReturnType<typeof work>>;
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
