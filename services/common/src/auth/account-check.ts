import { isDatabaseUnavailable } from "../database-unavailable.ts";
import { AppError } from "../http-errors.ts";
import type { DaprClient } from "../dapr/types.ts";
import type { TokenService } from "./tokens.ts";

/** Whether the user a verified token names still has an account; throws when that cannot be known now. */
export type AccountExists = (userId: string, token: string) => Promise<boolean>;

/**
 * The token service, but a token only verifies while its user exists: a
 * validly signed token of a deleted (or never created) account is a 401
 * everywhere, not a 500 at the first foreign key. When the accounts cannot be
 * checked, the answer is a 503, never a guess.
 */
export function requireExistingAccount(tokens: TokenService, accountExists: AccountExists): TokenService {
  return {
    issue: tokens.issue,
    async verify(token) {
      const verified = await tokens.verify(token);
      if (!verified) return undefined;
      let exists: boolean;
      try {
        exists = await accountExists(verified.userId, token);
      } catch (error) {
        // The accounts table is in the database: say so, as every other request does while it is down.
        if (isDatabaseUnavailable(error)) throw error;
        throw new AppError(503, "accounts_unavailable", "cannot check the account of this token right now; retry", undefined, { "retry-after": "1" });
      }
      return exists ? verified : undefined;
    },
  };
}

/**
 * For services without the users table: chat-api, which owns the accounts,
 * answers `GET /api/me` with 200 for an existing account and 401 otherwise,
 * reached through Dapr service invocation with the caller's own token.
 */
export function accountExistsThroughChatApi(dapr: DaprClient): AccountExists {
  return async (_userId, token) => {
    const response = await dapr.invoke("chat-api", "api/me", { headers: { authorization: `Bearer ${token}` } });
    await response.body?.cancel();
    if (response.status === 200) return true;
    if (response.status === 401) return false;
    throw new Error(`chat-api answered ${response.status} to GET /api/me`);
  };
}
