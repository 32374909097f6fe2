import { postgresForReference } from "./lib/postgres-server.ts";
const pg = (await postgresForReference())!;
const r = Bun.spawnSync(["bun", "test", ...process.argv.slice(2)], { env: { ...process.env, DATABASE_URL: pg.url }, stdout: "inherit", stderr: "inherit" });
await pg.stop();
process.exit(r.exitCode);
