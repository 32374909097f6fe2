import { cpus, freemem, loadavg, platform, release, totalmem } from "node:os";

export interface MachineFacts {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  freeMemoryBytes: number;
  loadAverage: number[];
  os: string;
  bun: string;
  gitSha: string;
  gitDirty: boolean;
  startedAt: string;
}

export function machineFacts(): MachineFacts {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model ?? "unknown",
    cores: cores.length,
    memoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    loadAverage: loadavg(),
    os: `${platform()} ${release()}`,
    bun: Bun.version,
    gitSha: git(["rev-parse", "HEAD"]) || "unknown",
    gitDirty: git(["status", "--porcelain", "--untracked-files=no"]) !== "",
    startedAt: new Date().toISOString(),
  };
}

function git(args: string[]): string {
  const result = Bun.spawnSync(["git", ...args], { cwd: import.meta.dir, stdout: "pipe", stderr: "ignore" });
  return result.exitCode === 0 ? result.stdout.toString().trim() : "";
}
