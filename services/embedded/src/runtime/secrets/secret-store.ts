import { loadOrCreateSecretsFile } from "./secrets-file.ts";

/**
 * The embedded runtime's secret store: env vars named SECRET_<NAME> first
 * (what people set in production), then DATA_DIR/secrets.json, which holds
 * values generated once so a fresh install works without any setup.
 * Only the SECRET_ prefix is readable, like daprd's local.env `prefix`: the
 * rest of the process environment (DATABASE_URL, DAPR_API_TOKEN...) is not a
 * secret store.
 */
export interface SecretStore {
  /** Undefined when no env var and no file entry has the name. */
  get(name: string): string | undefined;
  /** Every secret of the file (env vars are not enumerable), env overrides applied. */
  bulk(): Record<string, string>;
}

export interface SecretStoreOptions {
  dataDir: string;
  env: Record<string, string | undefined>;
  /** Names to generate into DATA_DIR/secrets.json when missing. */
  generate?: string[];
}

export function createSecretStore(options: SecretStoreOptions): SecretStore {
  const { env } = options;
  const fileSecrets = loadOrCreateSecretsFile(options.dataDir, options.generate ?? []);

  const get = (name: string): string | undefined => {
    // An empty env var counts as unset: a blank signing key is worse than a generated one.
    const fromEnv = nonEmpty(env[envVarName(name)]);
    return fromEnv ?? (Object.hasOwn(fileSecrets, name) ? fileSecrets[name] : undefined);
  };

  return {
    get,
    bulk: () => {
      const all: Record<string, string> = {};
      for (const name of Object.keys(fileSecrets)) all[name] = get(name) ?? "";
      return all;
    },
  };
}

/** `jwt-secret` -> `SECRET_JWT_SECRET`: the prefix, then upper case with every non-alphanumeric character as `_`. */
export function envVarName(name: string): string {
  return "SECRET_" + name.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
