import { consumerSubscriptions, createServiceApp, createTokenService, type ServiceDeps } from "@todo/common";
import type { Database } from "@todo/common/db";
import { adminTokenCheck } from "./admin-token.ts";
import { auditDocs } from "./audit-docs.ts";
import { auditRoutes } from "./audit-routes.ts";
import { gapRoutes } from "./gap-routes.ts";
import { auditTableReady } from "./store.ts";
import { auditSubscriptions } from "./subscriptions.ts";

export interface AuditDeps extends ServiceDeps {
  /** Migrated database holding audit_entries (and chat-api's outbox, for the gap report). */
  db: Database;
  /** Key that verifies user tokens; the secret `jwt-secret` of the secret store when omitted. */
  jwtSecret?: string;
  /** Bearer token of the operator routes; the secret `admin-token`, read on first use, when omitted. */
  adminToken?: string;
}

/** Append-only audit trail of every event, with a query API for users and a gap report for operators. */
export async function createApp(deps: AuditDeps) {
  const jwtSecret = deps.jwtSecret ?? (await readSecret(deps, "jwt-secret"));
  if (!jwtSecret) throw new Error("secret jwt-secret is missing");
  const tokens = createTokenService(jwtSecret, { now: deps.now });
  const checkAdmin = adminTokenCheck(async () => deps.adminToken ?? (await readSecret(deps, "admin-token")));

  return createServiceApp("audit", deps, [{ name: "database", check: () => auditTableReady(deps.db) }])
    .use(consumerSubscriptions("audit", deps, auditSubscriptions({ db: deps.db, pubsub: deps.components.pubsub })))
    .use(auditDocs())
    .use(gapRoutes({ db: deps.db, checkAdmin }))
    .use(auditRoutes({ db: deps.db, tokens }));
}

async function readSecret(deps: AuditDeps, name: string): Promise<string | undefined> {
  const secret = await deps.dapr.getSecret(deps.components.secretStore, name);
  return secret[name];
}
