import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";

/** The generated-secrets file under DATA_DIR; its format is local.file's (a JSON object). */
export function secretsFilePath(dataDir: string): string {
  return join(dataDir, "secrets.json");
}

/**
 * Reads DATA_DIR/secrets.json, creating it (mode 0600) with a random value for
 * every `generate` name it lacks. Values already in the file are never
 * replaced: a restart must not rotate the JWT key. The file is only written
 * when a name is missing, and replaced atomically so a crash leaves either
 * the old or the new file, never half of one.
 */
export function loadOrCreateSecretsFile(dataDir: string, generate: string[]): Record<string, string> {
  const path = secretsFilePath(dataDir);
  const existing = existsSync(path) ? readSecretsFile(path) : undefined;
  const content: Record<string, unknown> = { ...existing };
  const missing = generate.filter((name) => !(name in content));
  if (missing.length === 0) return flatten(content);

  for (const name of missing) content[name] = randomSecret();
  mkdirSync(dataDir, { recursive: true });
  if (!existing && !createExclusively(path, content)) {
    // Another process created it between our check and our write: use its values.
    return loadOrCreateSecretsFile(dataDir, generate);
  }
  if (existing) replaceAtomically(path, content);
  return flatten(content);
}

/** 32 random bytes, base64url. */
export function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}

function readSecretsFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    // Never echo the content: it holds secrets.
    throw new Error(`secrets file ${path} is not valid JSON (${(error as Error).name}); fix or remove it`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`secrets file ${path} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** Nested values are flattened with ":" like local.file's default nestedSeparator. */
function flatten(content: Record<string, unknown>): Record<string, string> {
  const flat: Record<string, string> = {};
  const visit = (value: unknown, name: string) => {
    if (typeof value === "object" && value !== null) {
      for (const [inner, innerValue] of Object.entries(value)) visit(innerValue, `${name}:${inner}`);
    } else if (value !== null && value !== undefined) {
      flat[name] = String(value);
    }
  };
  for (const [name, value] of Object.entries(content)) visit(value, name);
  return flat;
}

function writeTemp(path: string, secrets: Record<string, unknown>): string {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(temp, "wx", 0o600);
  try {
    writeSync(fd, JSON.stringify(secrets, null, 2) + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return temp;
}

/** link() fails when the target exists, so two processes starting at once cannot overwrite each other. */
function createExclusively(path: string, secrets: Record<string, unknown>): boolean {
  const temp = writeTemp(path, secrets);
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

function replaceAtomically(path: string, secrets: Record<string, unknown>) {
  const temp = writeTemp(path, secrets);
  try {
    // rename over the old file keeps the new file's 0600 mode.
    renameSync(temp, path);
  } catch (error) {
    unlinkSync(temp);
    throw error;
  }
}
