import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * `bun start` runs this first: it builds the site (site/dist) only when the
 * build is missing or older than any site source, so a fresh clone works with
 * `bun install && bun start` and a warm start costs a few stat calls.
 * A failed build does not stop `bun start`: the host then serves its status
 * page, and the build's own output says what went wrong.
 */
const SITE = join(import.meta.dir, "../site");
const BUILT = join(SITE, "dist/index.html");
const SOURCES = ["src", "public", "astro.config.mjs", "package.json"].map((name) => join(SITE, name));

/** Newest modification time (ms) of a file or of any file under a folder. */
export function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

export function siteIsStale(): boolean {
  if (!existsSync(BUILT)) return true;
  const builtAt = statSync(BUILT).mtimeMs;
  return SOURCES.some((source) => newestChange(source) > builtAt);
}

if (import.meta.main) {
  if (siteIsStale()) {
    console.log("building the site (site/dist is missing or older than its sources)…");
    const build = Bun.spawnSync(["bun", "run", "build"], { cwd: SITE, stdout: "inherit", stderr: "inherit" });
    if (build.exitCode !== 0) {
      console.error("the site build failed; starting anyway with the status page (see the output above)");
      if (process.argv.includes("--strict")) process.exit(build.exitCode ?? 1);
    }
  }
}
