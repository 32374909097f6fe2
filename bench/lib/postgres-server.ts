import { chmodSync, existsSync, readdirSync, rmSync } from "node:fs";
import { freePort, tempDir } from "./system.ts";

/**
 * A PostgreSQL server for the reference measurement: DATABASE_URL when set
 * (CI exports one), else a throwaway server from the local installation
 * (initdb + pg_ctl, as .ci/run does), or none when PostgreSQL is not installed.
 */
export async function postgresForReference(): Promise<{ url: string; stop(): Promise<void> } | undefined> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  const bin = postgresBin();
  if (!bin) return undefined;
  const dataDir = tempDir("postgres");
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  chmodSync(dataDir, 0o777);
  const run = (command: string) => {
    const argv = asRoot ? ["su", "postgres", "-c", command] : ["sh", "-c", command];
    const result = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });
    if (result.exitCode !== 0) throw new Error(`${command}: ${result.stderr.toString()}`);
  };
  run(`${bin}/initdb -D ${dataDir}/data -U bench --auth=trust`);
  run(`${bin}/pg_ctl -D ${dataDir}/data -w -l ${dataDir}/server.log -o "-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1" start`);
  return {
    url: `postgres://bench@127.0.0.1:${port}/postgres`,
    async stop() {
      run(`${bin}/pg_ctl -D ${dataDir}/data -m immediate stop`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function postgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(a) - Number(b));
  const latest = versions.at(-1);
  return latest && existsSync(`${root}/${latest}/bin/initdb`) ? `${root}/${latest}/bin` : undefined;
}
