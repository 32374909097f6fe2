import { createBackground, createMemoryLogger, loadConfig, type DaprClient, type ServiceContext, type ServiceDeps } from "@todo/common";
import type { Database } from "@todo/common/db";
import { serviceSettings } from "@todo/embedded/services";
import { Type } from "@sinclair/typebox";
import { testDatabases } from "./databases.ts";
import { COMPONENTS, serviceDeps } from "./service-deps.ts";

/**
 * Builds any service's app without a sidecar, for tests of what every
 * service declares (health, metrics, subscriptions): a sidecar that is
 * healthy and knows only the JWT secret, one PGlite database shared by the
 * apps that own tables, and default settings. `close()` in afterAll.
 */
const sidecar = new Proxy({} as DaprClient, {
  get: (_, name) => {
    if (name === "healthy") return async () => true;
    // chat-api reads its signing key from the secret store at start.
    if (name === "getSecret") return async () => ({ "jwt-secret": "x".repeat(48) });
    return () => Promise.reject(new Error(`unexpected ${String(name)}`));
  },
});

export interface ServiceHost {
  deps(options?: { appApiToken?: string; components?: Partial<ServiceDeps["components"]> }): ServiceDeps;
  context(): ServiceContext<any>;
  close(): Promise<void>;
}

export function createServiceHost(): ServiceHost {
  const settings = loadConfig(Type.Object(serviceSettings), {});
  const backgrounds: ReturnType<typeof createBackground>[] = [];
  const [pglite] = testDatabases();
  let database: Promise<Database> | undefined;
  return {
    deps(options = {}) {
      const background = createBackground(createMemoryLogger());
      background.start();
      backgrounds.push(background);
      return {
        ...serviceDeps("service", sidecar, { appApiToken: options.appApiToken, background }),
        components: { ...COMPONENTS, ...options.components },
      };
    },
    context: () => ({ settings, database: () => (database ??= pglite!.open()), replicaId: "test" }),
    async close() {
      for (const background of backgrounds) await background.stop();
      if (database) await (await database).close();
    },
  };
}
