import { createHash } from "node:crypto";
import { decodeProtectedHeader, jwtVerify, SignJWT } from "jose";

export interface TokenService {
  /** A signed bearer token for the user (HS256 JWT, sub = user id, kid = the signing key's id). */
  issue(user: { id: string; email: string }): Promise<string>;
  /** The caller's id when the token is ours, untampered, unexpired and of a sane lifetime; undefined otherwise. */
  verify(token: string): Promise<{ userId: string } | undefined>;
}

/**
 * The signing keys. Tokens are signed with `current`; during a rollover the
 * key it replaced stays as `previous`, so tokens issued before the switch
 * keep working until they expire (7 days) and nobody is logged out.
 */
export interface JwtKeys {
  current: string;
  previous?: string;
}

export interface TokenOptions {
  now?: () => Date;
  /** Lifetime of an issued token, and the longest lifetime a token may claim; the issue asks for 7 days. */
  ttlSeconds?: number;
}

const ISSUER = "todo-chat-api";
const AUDIENCE = "todo";
const SEVEN_DAYS = 7 * 24 * 60 * 60;
// Replicas' clocks differ a little: an iat this far ahead of ours is still "now".
const CLOCK_TOLERANCE_SECONDS = 60;
// HS256 keys shorter than the hash output (256 bits) weaken the signature (RFC 7518 §3.2).
const MIN_SECRET_LENGTH = 32;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface SigningKey {
  kid: string;
  key: Uint8Array;
}

/**
 * The key id of a secret: a fingerprint, so every replica derives the same
 * id from the same secret without another setting, and it says nothing
 * usable about the secret.
 */
export function keyIdOf(secret: string): string {
  return createHash("sha256").update(`todo-jwt-kid:${secret}`).digest("base64url").slice(0, 16);
}

function signingKey(secret: string): SigningKey {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`the JWT secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  return { kid: keyIdOf(secret), key: new TextEncoder().encode(secret) };
}

export function createTokenService(secrets: string | JwtKeys, options: TokenOptions = {}): TokenService {
  const { current: currentSecret, previous: previousSecret } = typeof secrets === "string" ? { current: secrets } : secrets;
  const current = signingKey(currentSecret);
  const keys = previousSecret && previousSecret !== currentSecret ? [current, signingKey(previousSecret)] : [current];
  const now = options.now ?? (() => new Date());
  const ttlSeconds = options.ttlSeconds ?? SEVEN_DAYS;

  /** The keys a token may be signed with: the one its kid names, or (tokens from before kids) each key. */
  function candidatesFor(token: string): SigningKey[] {
    const { kid } = decodeProtectedHeader(token);
    return kid === undefined ? keys : keys.filter((key) => key.kid === kid);
  }

  async function verifyWith(token: string, { key }: SigningKey): Promise<{ userId: string } | undefined> {
    try {
      const at = now();
      // Pinning the algorithm rejects `alg: none` and any asymmetric-key confusion.
      const { payload } = await jwtVerify(token, key, {
        algorithms: ["HS256"],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: at,
        requiredClaims: ["sub", "exp", "iat"],
      });
      const { iat, exp } = payload as { iat: number; exp: number };
      // Not issued in the future, and not claiming a longer life than we grant: we never sign such a token.
      if (iat > at.getTime() / 1000 + CLOCK_TOLERANCE_SECONDS || exp - iat > ttlSeconds) return undefined;
      // The id goes into SQL as a uuid; anything else would be a query error, not a 401.
      return typeof payload.sub === "string" && UUID.test(payload.sub) ? { userId: payload.sub } : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    async issue(user) {
      const issuedAt = Math.floor(now().getTime() / 1000);
      return new SignJWT({ email: user.email })
        .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: current.kid })
        .setSubject(user.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ttlSeconds)
        .sign(current.key);
    },

    async verify(token) {
      let candidates: SigningKey[];
      try {
        candidates = candidatesFor(token);
      } catch {
        return undefined;
      }
      for (const key of candidates) {
        const verified = await verifyWith(token, key);
        if (verified) return verified;
      }
      return undefined;
    },
  };
}
