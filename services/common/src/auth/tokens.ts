import { jwtVerify, SignJWT } from "jose";

export interface TokenService {
  /** A signed bearer token for the user (HS256 JWT, sub = user id). */
  issue(user: { id: string; email: string }): Promise<string>;
  /** The caller's id when the token is ours, untampered and unexpired; undefined otherwise. */
  verify(token: string): Promise<{ userId: string } | undefined>;
}

export interface TokenOptions {
  now?: () => Date;
  /** Lifetime of an issued token; the issue asks for 7 days. */
  ttlSeconds?: number;
}

const ISSUER = "todo-chat-api";
const AUDIENCE = "todo";
const SEVEN_DAYS = 7 * 24 * 60 * 60;
// HS256 keys shorter than the hash output (256 bits) weaken the signature (RFC 7518 §3.2).
const MIN_SECRET_LENGTH = 32;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createTokenService(secret: string, options: TokenOptions = {}): TokenService {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`the JWT secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const key = new TextEncoder().encode(secret);
  const now = options.now ?? (() => new Date());
  const ttlSeconds = options.ttlSeconds ?? SEVEN_DAYS;

  return {
    async issue(user) {
      const issuedAt = Math.floor(now().getTime() / 1000);
      return new SignJWT({ email: user.email })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(user.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ttlSeconds)
        .sign(key);
    },

    async verify(token) {
      try {
        // Pinning the algorithm rejects `alg: none` and any asymmetric-key confusion.
        const { payload } = await jwtVerify(token, key, {
          algorithms: ["HS256"],
          issuer: ISSUER,
          audience: AUDIENCE,
          currentDate: now(),
          requiredClaims: ["sub", "exp"],
        });
        // The id goes into SQL as a uuid; anything else would be a query error, not a 401.
        return typeof payload.sub === "string" && UUID.test(payload.sub) ? { userId: payload.sub } : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
