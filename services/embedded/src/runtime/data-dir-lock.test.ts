import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataDirInUseError, lockDataDir } from "./data-dir-lock.ts";

let dataDir: string;
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe("DATA_DIR lock", () => {
  test("a live process holding the folder is refused with its pid", async () => {
    dataDir = mkdtempSync(join(tmpdir(), "todo-lock-"));
    const holder = Bun.spawn(["sleep", "30"]);
    try {
      writeFileSync(join(dataDir, "runtime.lock"), String(holder.pid));
      expect(() => lockDataDir(dataDir)).toThrow(DataDirInUseError);
      expect(() => lockDataDir(dataDir)).toThrow(String(holder.pid));
    } finally {
      holder.kill("SIGKILL");
      await holder.exited;
    }
  });

  test("a lock left by a dead process is taken over, and released on unlock", async () => {
    dataDir = mkdtempSync(join(tmpdir(), "todo-lock-"));
    const gone = Bun.spawn(["true"]);
    await gone.exited;
    writeFileSync(join(dataDir, "runtime.lock"), String(gone.pid));
    const unlock = lockDataDir(dataDir);
    expect(existsSync(join(dataDir, "runtime.lock"))).toBe(true);
    unlock();
    expect(existsSync(join(dataDir, "runtime.lock"))).toBe(false);
  });
});
