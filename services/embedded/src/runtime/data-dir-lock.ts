import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "./process-alive.ts";

/**
 * One runtime per DATA_DIR: two processes on one SQLite log would not wake
 * each other's consumers and would fire each other's jobs at apps they do not
 * host. The lock file holds the owner's pid; a lock left by a process that
 * died (kill -9) is taken over.
 */
export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(`DATA_DIR ${dataDir} is in use by process ${pid}; stop it or set DATA_DIR to another folder`);
    this.name = "DataDirInUseError";
  }
}

export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, "runtime.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(path, "utf8").trim());
      // The same process may reopen its own data (tests simulating a crash do).
      if (owner === process.pid) return () => rmSync(path, { force: true });
      if (Number.isInteger(owner) && owner > 0 && isProcessAlive(owner)) throw new DataDirInUseError(dataDir, owner);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`cannot lock ${path}`);
}
