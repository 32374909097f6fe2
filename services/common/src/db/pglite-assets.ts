import initdbWasmPath from "@electric-sql/pglite/initdb.wasm" with { type: "file" };
import pgliteDataPath from "@electric-sql/pglite/pglite.data" with { type: "file" };
import pgliteWasmPath from "@electric-sql/pglite/pglite.wasm" with { type: "file" };

/**
 * PGlite finds its WASM and file-system bundle next to its own module, which
 * does not exist inside a `bun build --compile` binary. Imported as files,
 * Bun embeds them in the binary and gives a path that works in both cases.
 * The compiled modules are kept for the process: every open reuses them.
 */
export interface PgliteAssets {
  pgliteWasmModule: WebAssembly.Module;
  initdbWasmModule: WebAssembly.Module;
  fsBundle: Blob;
}

let assets: Promise<PgliteAssets> | undefined;

export function pgliteAssets(): Promise<PgliteAssets> {
  assets ??= (async () => ({
    pgliteWasmModule: await WebAssembly.compile(await Bun.file(pgliteWasmPath).arrayBuffer()),
    initdbWasmModule: await WebAssembly.compile(await Bun.file(initdbWasmPath).arrayBuffer()),
    fsBundle: new Blob([await Bun.file(pgliteDataPath).arrayBuffer()]),
  }))();
  return assets;
}
