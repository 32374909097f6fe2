import { AppError, clientAddressOf } from "@todo/common";
import { Elysia, t } from "elysia";
import type { Database } from "@todo/common/db";
import { checkBody } from "@todo/common";
import {
  canonicalTimeZone,
  isPrintableText,
  MAX_EMAIL_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PASSWORD_LENGTH,
  MAX_TIME_ZONE_LENGTH,
  MIN_PASSWORD_LENGTH,
  emailKeyOf,
  normaliseEmail,
  normaliseName,
} from "./account-rules.ts";
import { requireUser } from "@todo/common";
import type { TokenService } from "@todo/common";
import { weakPasswordReason } from "./password-rules.ts";
import type { SignInThrottle } from "./sign-in-throttle.ts";
import { findUserByEmailKey, findUserById, insertUser, updateUserProfile, type User } from "./user-store.ts";

export interface AuthContext {
  db: Database;
  tokens: TokenService;
  now: () => Date;
  throttle: SignInThrottle;
  /** Proxies in front of us that append the client's address to X-Forwarded-For (0: clients connect directly). */
  trustedProxyHops?: number;
}

const UserJson = t.Object({
  id: t.String({ format: "uuid" }),
  email: t.String(),
  name: t.Nullable(t.String()),
  timeZone: t.String({ description: "IANA time zone, e.g. Europe/Paris" }),
  createdAt: t.String({ format: "date-time" }),
});
const Session = t.Object({ token: t.String({ description: "Bearer token (JWT), valid 7 days" }), user: UserJson });
const SignupAccepted = t.Object({
  status: t.Literal("accepted"),
  message: t.String(),
});
// The same answer whether or not the email already has an account: signing up never tells who is registered.
const SIGNUP_ACCEPTED = {
  status: "accepted" as const,
  message: "If this email can be used, its account is ready: sign in with it.",
};

// Routes take JSON only (`parse: "json"`): one body format to validate and document.
const SignupBody = t.Object(
  {
    // Bounded loosely here; the real email rule runs in normaliseEmail so its message is clear.
    email: t.String({ maxLength: MAX_EMAIL_LENGTH + 64 }),
    password: t.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH }),
    name: t.Optional(t.String({ maxLength: MAX_NAME_LENGTH })),
  },
  { additionalProperties: false },
);
const LoginBody = t.Object(
  {
    email: t.String({ maxLength: MAX_EMAIL_LENGTH + 64 }),
    password: t.String({ maxLength: MAX_PASSWORD_LENGTH }),
  },
  { additionalProperties: false },
);
const ProfilePatch = t.Object(
  {
    name: t.Optional(t.Nullable(t.String({ maxLength: MAX_NAME_LENGTH }))),
    timeZone: t.Optional(t.String({ maxLength: MAX_TIME_ZONE_LENGTH })),
  },
  { additionalProperties: false },
);

// One message for both causes, so a login attempt cannot probe which emails have accounts.
const badCredentials = () => new AppError(401, "invalid_credentials", "email or password is incorrect");

/** Accounts: signup, login, and the caller's own profile. */
export function authRoutes(ctx: AuthContext) {
  const { db, tokens, now } = ctx;
  // Hashed on first use: an unknown email still pays one verify, so timing does not tell it apart.
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= Bun.password.hash(crypto.randomUUID()));

  const session = async (user: User) => ({
    token: await tokens.issue({ id: user.id, email: user.email }),
    user: userJson(user),
  });

  return new Elysia()
    .post(
      "/api/auth/signup",
      async ({ body, set }) => {
        const address = normaliseEmail(body.email);
        if (!address) throw invalidField("/email", "email must be a valid address of at most 254 characters");
        if (body.name !== undefined && !isPrintableText(body.name)) throw unprintableName();
        const weak = await weakPasswordReason(body.password, address.email);
        if (weak) throw invalidField("/password", weak);
        // Hashed whether or not the email is taken, so the time taken tells nothing either.
        const passwordHash = await Bun.password.hash(body.password);
        // A taken email (any case, or a concurrent signup that won) inserts nothing and answers the same.
        await insertUser(db, {
          id: Bun.randomUUIDv7(),
          ...address,
          name: normaliseName(body.name),
          passwordHash,
          now: now(),
        });
        set.status = 202;
        return SIGNUP_ACCEPTED;
      },
      {
        parse: "json",
        body: SignupBody,
        transform: checkBody(SignupBody),
        response: { 202: SignupAccepted },
        detail: {
          tags: ["auth"],
          summary: "Create an account",
          description:
            "Answers 202 the same way whether or not the email already has an account; then sign in with POST /api/auth/login. The password must not be a common one, nor contain the email.",
          security: [],
        },
      },
    )
    .post(
      "/api/auth/login",
      async ({ body, request }) => {
        // A malformed email cannot have an account: answered like an unknown one, without a query.
        const address = normaliseEmail(body.email);
        const emailKey = address?.emailKey ?? emailKeyOf(body.email);
        const client = clientAddressOf(request.headers, ctx.trustedProxyHops);
        // Counted before the password is checked: known and unknown emails are throttled alike.
        await ctx.throttle.admit(emailKey, client);
        const user = address && (await findUserByEmailKey(db, address.emailKey));
        const ok = await Bun.password.verify(body.password, user?.passwordHash ?? (await dummy()));
        if (!user || !ok) throw badCredentials();
        await ctx.throttle.succeeded(emailKey, client);
        return session(user);
      },
      {
        parse: "json",
        body: LoginBody,
        transform: checkBody(LoginBody),
        response: { 200: Session },
        detail: {
          tags: ["auth"],
          summary: "Log in with email and password",
          description:
            "Throttled per account and per client address: after a few failures each further one doubles the wait (429 with Retry-After); a successful sign-in resets the account's count.",
          security: [],
        },
      },
    )
    .use(requireUser(tokens))
    .get(
      "/api/me",
      async ({ userId }) => {
        const user = await findUserById(db, userId);
        if (!user) throw new AppError(401, "unauthorized", "the account of this token no longer exists");
        return userJson(user);
      },
      { response: { 200: UserJson }, detail: { tags: ["auth"], summary: "The caller's account" } },
    )
    .patch(
      "/api/me",
      async ({ userId, body }) => {
        let timeZone: string | undefined;
        if (body.timeZone !== undefined) {
          timeZone = canonicalTimeZone(body.timeZone);
          if (!timeZone) throw invalidField("/timeZone", "timeZone must be an IANA time zone such as Europe/Paris");
        }
        if (typeof body.name === "string" && !isPrintableText(body.name)) throw unprintableName();
        const name = body.name === undefined ? undefined : normaliseName(body.name);
        const user = await updateUserProfile(db, userId, { name, timeZone, now: now() });
        if (!user) throw new AppError(401, "unauthorized", "the account of this token no longer exists");
        return userJson(user);
      },
      {
        parse: "json",
        body: ProfilePatch,
        transform: checkBody(ProfilePatch),
        response: { 200: UserJson },
        detail: { tags: ["auth"], summary: "Change the caller's name or time zone" },
      },
    );
}

function userJson(user: User) {
  return { ...user, createdAt: user.createdAt.toISOString() };
}

const unprintableName = () => invalidField("/name", "name must be printable text (no control characters or bidirectional overrides)");

// Same shape as the schema-validation errors of httpErrors, so clients handle one format.
function invalidField(path: string, message: string) {
  return new AppError(400, "invalid_request", message, [{ path, message }]);
}
