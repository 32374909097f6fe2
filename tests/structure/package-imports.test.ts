import { describe, expect, test } from "bun:test";
import { Glob } from "bun";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * Packages import each other by name only, through the exports their
 * package.json declares, and only packages they depend on. A relative import
 * that leaves its package (`../../other/src/x.ts`) is how the graph stopped
 * being a tree before; this keeps it from coming back.
 */
const ROOT = join(import.meta.dir, "../..");
const rootManifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Manifest;

interface Manifest {
  name: string;
  exports?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  workspaces?: string[];
}

/** Every workspace package (folder -> manifest); the root package owns the rest (tests, bench, scripts). */
const packages = new Map<string, Manifest>();
for (const pattern of rootManifest.workspaces ?? []) {
  for (const file of new Glob(`${pattern}/package.json`).scanSync({ cwd: ROOT })) {
    packages.set(dirname(file), JSON.parse(readFileSync(join(ROOT, file), "utf8")) as Manifest);
  }
}
const byName = new Map([...packages].map(([dir, manifest]) => [manifest.name, { dir, manifest }]));

const packageOf = (file: string) => [...packages.keys()].find((dir) => file === dir || file.startsWith(`${dir}/`)) ?? ".";
const manifestOf = (dir: string) => (dir === "." ? rootManifest : packages.get(dir)!);

const SOURCE = new Glob("**/*.{ts,tsx,mts,mjs,astro}");
const sources = [...SOURCE.scanSync({ cwd: ROOT })].filter((file) => !/(^|\/)(node_modules|dist|\.astro|\.data)\//.test(file));
// Static imports, re-exports and dynamic imports of a string literal.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;

function importsOf(file: string): string[] {
  return [...readFileSync(join(ROOT, file), "utf8").matchAll(IMPORT)].map((match) => match[1]!);
}

describe("package boundaries", () => {
  test("the scan sees the workspace packages and their sources", () => {
    expect([...byName.keys()]).toEqual(expect.arrayContaining(["@todo/common", "@todo/chat-api", "@todo/embedded", "@todo/testkit", "@todo/site"]));
    expect(sources.length).toBeGreaterThan(200);
  });

  test("no relative import leaves its package", () => {
    const crossings: string[] = [];
    for (const file of sources) {
      const owner = packageOf(file);
      for (const specifier of importsOf(file)) {
        if (!specifier.startsWith(".")) continue;
        const target = relative(ROOT, resolve(ROOT, dirname(file), specifier));
        if (packageOf(target) !== owner) crossings.push(`${file} -> ${specifier}`);
      }
    }
    expect(crossings).toEqual([]);
  });

  test("a package imported by name is a declared dependency and the path is one of its exports", () => {
    const problems: string[] = [];
    for (const file of sources) {
      const owner = manifestOf(packageOf(file));
      for (const specifier of importsOf(file)) {
        const name = specifier.split("/").slice(0, 2).join("/");
        const imported = byName.get(name);
        if (!imported || imported.manifest.name === owner.name) continue;
        const declared = { ...owner.dependencies, ...owner.devDependencies };
        if (!(name in declared)) problems.push(`${file}: imports ${name}, which ${owner.name} does not depend on`);
        const subpath = `.${specifier.slice(name.length)}`;
        const target = imported.manifest.exports?.[subpath];
        if (!target) problems.push(`${file}: ${specifier} is not an export of ${name}`);
        else if (!existsSync(join(ROOT, imported.dir, target))) problems.push(`${name} exports ${subpath} as ${target}, which does not exist`);
      }
    }
    expect(problems).toEqual([]);
  });
});
