import { AppError, bearerToken, sameSecret } from "@todo/common";

/** Shorter than this and a token could be guessed; the generated ones are 43 characters. */
const MIN_ADMIN_TOKEN_LENGTH = 16;

/** Resolves when the `Authorization` header carries the admin token; throws a 401/503 AppError otherwise. */
export type AdminCheck = (authorization: string | undefined) => Promise<void>;

/**
 * Checks `Authorization: Bearer <admin-token>` for operator routes. The token
 * is read on first use, not at start-up: a deployment without the
 * `admin-token` secret still records events, and only the operator routes
 * answer 503 until the secret exists.
 */
export function adminTokenCheck(readToken: () => Promise<string | undefined>): AdminCheck {
  let known: string | undefined;
  const expected = async () => {
    if (known) return known;
    let token: string | undefined;
    try {
      token = await readToken();
    } catch {
      token = undefined;
    }
    if (!token || token.length < MIN_ADMIN_TOKEN_LENGTH) {
      throw new AppError(503, "admin_token_unavailable", `the secret admin-token is missing or shorter than ${MIN_ADMIN_TOKEN_LENGTH} characters`);
    }
    known = token;
    return token;
  };

  return async (authorization) => {
    const given = bearerToken(authorization);
    if (!given) throw new AppError(401, "unauthorized", "missing admin bearer token", undefined, { "www-authenticate": "Bearer" });
    if (!sameSecret(given, await expected())) {
      throw new AppError(401, "unauthorized", "wrong admin token", undefined, { "www-authenticate": 'Bearer error="invalid_token"' });
    }
  };
}
