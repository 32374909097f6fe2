/**
 * Writes the JSON Schema of every catalogue event to a folder, one
 * `<type>.json` file each (contract tests and docs read them).
 *
 *   bun services/common/scripts/export-event-schemas.ts [dir]   # default: docs/events/
 */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { eventJsonSchemas } from "../src/events/index.ts";

export async function exportEventSchemas(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [type, schema] of Object.entries(eventJsonSchemas())) {
    const file = join(dir, `${type}.json`);
    await Bun.write(file, JSON.stringify(schema, null, 2) + "\n");
    written.push(file);
  }
  return written;
}

if (import.meta.main) {
  const dir = resolve(process.argv[2] ?? "docs/events");
  const written = await exportEventSchemas(dir);
  console.log(`wrote ${written.length} event schemas to ${dir}`);
}
