import { AppError } from "../http-errors.ts";
import { Elysia } from "elysia";
import type { TokenService } from "./tokens.ts";

/**
 * Guards the routes registered after it in the plugin that uses it: resolves
 * `{ userId }` from `Authorization: Bearer <jwt>`, or answers 401.
 *
 * What "valid" means is the token service's: the services hand in one
 * wrapped by requireExistingAccount, so a signed token of an account that
 * does not exist is a 401 too.
 */
export function requireUser(tokens: TokenService) {
  // derive runs before body validation: an anonymous caller learns nothing about the schema (401, not 400).
  return new Elysia().derive({ as: "scoped" }, async ({ headers }) => {
    const token = bearerToken(headers.authorization);
    if (!token) {
      throw new AppError(401, "unauthorized", "missing bearer token", undefined, { "www-authenticate": "Bearer" });
    }
    const verified = await tokens.verify(token);
    if (!verified) {
      throw new AppError(401, "unauthorized", "invalid or expired token", undefined, {
        "www-authenticate": 'Bearer error="invalid_token"',
      });
    }
    return { userId: verified.userId };
  });
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, RFC 7235). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i);
  return match?.[1];
}
