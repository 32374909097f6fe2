import { Type } from "@sinclair/typebox";
import { loadConfig, runService } from "@todo/common";
import { openMigratedDatabase } from "@todo/common/db";
import { join } from "node:path";
import { chatApiService } from "./service.ts";

/** chat-api next to a daprd sidecar: it owns the task tables, on PostgreSQL (DATABASE_URL) or PGlite under DATA_DIR. */
const storage = loadConfig(
  Type.Object({
    DATABASE_URL: Type.Optional(Type.String({ pattern: "^postgres(ql)?://" })),
    DATA_DIR: Type.String({ minLength: 1, default: ".data" }),
  }),
);

await runService(chatApiService, {
  openDatabase: (logger) =>
    openMigratedDatabase({ databaseUrl: storage.DATABASE_URL, dataDir: join(storage.DATA_DIR, "chat-api") }, logger),
});
