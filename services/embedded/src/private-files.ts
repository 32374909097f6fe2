import { chmodSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * The data dir holds password hashes (PGlite's tables), the generated JWT
 * and admin secrets and the event log: nobody but this process's user may
 * read it. A umask of 077 makes every file the process creates from now on
 * (PGlite's, SQLite's, ours) 0600 and every folder 0700 whatever umask it
 * was started with; what an older version left more open is tightened once.
 */
export function keepDataPrivate(dataDir: string): void {
  process.umask(0o077);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  tighten(dataDir);
}

/**
 * 0700 for folders and no group or other bits on files, under `path`.
 * PGlite writes a new cluster with its own modes (0666), whatever the
 * umask: run this again once it has opened.
 */
export function tighten(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    if ((stat.mode & 0o777) !== 0o700) chmodSync(path, 0o700);
    for (const entry of readdirSync(path)) tighten(join(path, entry));
  } else if ((stat.mode & 0o077) !== 0) {
    chmodSync(path, stat.mode & 0o700);
  }
}
