import {
  accountExistsThroughChatApi,
  consumerSubscriptions,
  createServiceApp,
  createTokenService,
  readJwtKeys,
  requireExistingAccount,
  type AccountExists,
  type JwtKeys,
  type ServiceDeps,
} from "@todo/common";
import type { Database } from "@todo/common/db";
import { adminTokenCheck } from "./admin-token.ts";
import { auditDocs } from "./audit-docs.ts";
import { auditRoutes } from "./audit-routes.ts";
import { gapRoutes } from "./gap-routes.ts";
import { auditTableReady } from "./store.ts";
import { auditSubscriptions } from "./subscriptions.ts";
import { verifyRoutes } from "./verify-routes.ts";

export interface AuditDeps extends ServiceDeps {
  /** Migrated database holding audit_entries (and chat-api's outbox, for the gap report). */
  db: Database;
  /** Key(s) that verify user tokens; the secrets `jwt-secret` (and `jwt-secret-previous`) of the secret store when omitted. */
  jwtSecret?: string | JwtKeys;
  /** Whether a token's account exists; by default chat-api is asked (GET /api/me through service invocation). */
  accountExists?: AccountExists;
  /** Bearer token of the operator routes; the secret `admin-token`, read on first use, when omitted. */
  adminToken?: string;
}

/** Append-only, hash-chained audit trail of every event, with a query API for users and gap and chain checks. */
export async function createApp(deps: AuditDeps) {
  const jwtSecret = deps.jwtSecret ?? (await readJwtKeys(deps.dapr, deps.components.secretStore));
  const tokens = requireExistingAccount(createTokenService(jwtSecret, { now: deps.now }), deps.accountExists ?? accountExistsThroughChatApi(deps.dapr));
  const checkAdmin = adminTokenCheck(async () => deps.adminToken ?? (await readSecret(deps, "admin-token")));

  return createServiceApp("audit", deps, [{ name: "database", check: () => auditTableReady(deps.db) }])
    .use(consumerSubscriptions("audit", deps, auditSubscriptions({ db: deps.db, pubsub: deps.components.pubsub })))
    .use(auditDocs())
    .use(gapRoutes({ db: deps.db, checkAdmin }))
    .use(verifyRoutes({ db: deps.db, tokens, checkAdmin }))
    .use(auditRoutes({ db: deps.db, tokens }));
}

async function readSecret(deps: AuditDeps, name: string): Promise<string | undefined> {
  const secret = await deps.dapr.getSecret(deps.components.secretStore, name);
  return secret[name];
}
