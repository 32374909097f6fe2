#!/usr/bin/env bun
/**
 * `bun run build:binaries [--target bun-linux-arm64] [--outdir dist/bin] [name...]`:
 * one self-contained executable per program (`bun build --compile`), the
 * same payload the Dockerfile copies into the distroless image. Default
 * target linux-x64; pass `--target bun-linux-arm64` for arm64 nodes.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { binaries, TARGETS, type Binary, type Target } from "./binaries.ts";

export interface BuildOptions {
  outDir: string;
  target?: Target;
  /** Only these programs (default: all). */
  names?: string[];
  /** How many compilers run at once (each takes one core for a few seconds). */
  parallel?: number;
}

export async function buildBinaries(options: BuildOptions): Promise<{ name: string; path: string }[]> {
  const unknown = (options.names ?? []).filter((name) => !binaries.some((binary) => binary.name === name));
  if (unknown.length > 0) throw new Error(`unknown program(s): ${unknown.join(", ")}; known: ${binaries.map((b) => b.name).join(", ")}`);
  const selected = options.names?.length ? binaries.filter((binary) => options.names!.includes(binary.name)) : binaries;
  await mkdir(options.outDir, { recursive: true });
  const queue = [...selected];
  const built: { name: string; path: string }[] = [];
  const worker = async () => {
    for (let binary = queue.shift(); binary; binary = queue.shift()) {
      built.push({ name: binary.name, path: await compile(binary, options.outDir, options.target ?? "bun-linux-x64") });
    }
  };
  await Promise.all(Array.from({ length: options.parallel ?? 2 }, worker));
  return built.sort((a, b) => a.name.localeCompare(b.name));
}

async function compile(binary: Binary, outDir: string, target: Target): Promise<string> {
  const outfile = join(outDir, binary.name);
  const proc = Bun.spawn(
    ["bun", "build", "--compile", "--minify", "--sourcemap", `--target=${target}`, binary.entry, "--outfile", outfile],
    { stdout: "pipe", stderr: "pipe" },
  );
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`bun build --compile ${binary.name} failed (${code}):\n${stdout}${stderr}`);
  return outfile;
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Bun.argv.slice(2),
    options: { target: { type: "string", default: "bun-linux-x64" }, outdir: { type: "string", default: "dist/bin" } },
    allowPositionals: true,
  });
  if (!TARGETS.includes(values.target as Target)) {
    console.error(`--target must be one of ${TARGETS.join(", ")}`);
    process.exit(2);
  }
  const started = performance.now();
  const built = await buildBinaries({ outDir: values.outdir!, target: values.target as Target, names: positionals });
  for (const { name, path } of built) console.log(`${name.padEnd(16)} ${path} (${(Bun.file(path).size / 1e6).toFixed(0)} MB)`);
  console.log(`built ${built.length} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
