import { createBackground, createMemoryLogger, type DaprClient, type ServiceDeps } from "@todo/common";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Registry } from "prom-client";
import type { Database } from "@todo/common/db";
import { testDatabases } from "@todo/testkit/databases";
import type { HostContext } from "../../services/embedded/src/hosted-apps.ts";

/**
 * Builds any service's app without a sidecar, for tests of what every
 * service declares (health, metrics, subscriptions): a sidecar that is
 * healthy and knows only the JWT secret, one PGlite database shared by the
 * apps that own tables, and a temp data dir. `close()` in afterAll.
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
  host(name: string): HostContext;
  close(): Promise<void>;
}

export function createServiceHost(): ServiceHost {
  const dataDir = mkdtempSync(join(tmpdir(), "todo-services-"));
  const backgrounds: ReturnType<typeof createBackground>[] = [];
  const [pglite] = testDatabases();
  let database: Promise<Database> | undefined;
  return {
    deps(options = {}) {
      const background = createBackground(createMemoryLogger());
      background.start();
      backgrounds.push(background);
      return {
        dapr: sidecar,
        logger: createMemoryLogger(),
        components: { pubsub: "pubsub", stateStore: "statestore", secretStore: "secretstore", ...options.components },
        registry: new Registry(),
        appApiToken: options.appApiToken,
        background,
      };
    },
    host: (name) => ({ dataDir: join(dataDir, name), database: () => (database ??= pglite!.open()) }),
    async close() {
      for (const background of backgrounds) await background.stop();
      if (database) await (await database).close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
