/** The system's PostgreSQL access, shared by the services that own tables (chat-api, audit). */
export * from "./database.ts";
export { openDatabase } from "./open-database.ts";
export { openMigratedDatabase } from "./open-migrated.ts";
export { migrate, MigrationError } from "./migrate.ts";
export { openPostgresDatabase } from "./postgres-database.ts";
export { advisoryLocks } from "./advisory-locks.ts";
export { isUniqueViolation, sqlStateOf, constraintOf } from "./errors.ts";
export { openPgliteDatabase, type PgliteDatabase } from "./pglite-database.ts";
export { openPgliteWorkerDatabase } from "./pglite-worker-database.ts";
