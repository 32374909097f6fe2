import { Type } from "@sinclair/typebox";
import { loadConfig, runService } from "@todo/common";
import { join } from "node:path";
import { createApp } from "./app.ts";
import { openMigratedDatabase } from "@todo/common/db";

const config = loadConfig(
  Type.Object({
    DATABASE_URL: Type.Optional(Type.String({ pattern: "^postgres(ql)?://" })),
    DATA_DIR: Type.String({ minLength: 1, default: ".data" }),
  }),
);

await runService("chat-api", async (deps) => {
  const db = await openMigratedDatabase(
    { databaseUrl: config.DATABASE_URL, dataDir: join(config.DATA_DIR, "chat-api") },
    deps.logger,
  );
  deps.background?.add("database", { start: () => {}, stop: () => db.close() });
  return createApp({ ...deps, db });
});
