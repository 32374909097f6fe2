import { AppError } from "@todo/common";
import { Elysia, t } from "elysia";
import type { Database } from "@todo/common/db";
import { rejectUnknownFields } from "@todo/common";
import {
  canonicalTimeZone,
  isPrintableText,
  MAX_EMAIL_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PASSWORD_LENGTH,
  MAX_TIME_ZONE_LENGTH,
  MIN_PASSWORD_LENGTH,
  normaliseEmail,
  normaliseName,
} from "./account-rules.ts";
import { requireUser } from "@todo/common";
import type { TokenService } from "@todo/common";
import { findUserByEmailKey, findUserById, insertUser, updateUserProfile, type User } from "./user-store.ts";

export interface AuthContext {
  db: Database;
  tokens: TokenService;
  now: () => Date;
}

const UserJson = t.Object({
  id: t.String({ format: "uuid" }),
  email: t.String(),
  name: t.Nullable(t.String()),
  timeZone: t.String({ description: "IANA time zone, e.g. Europe/Paris" }),
  createdAt: t.String({ format: "date-time" }),
});
const Session = t.Object({ token: t.String({ description: "Bearer token (JWT), valid 7 days" }), user: UserJson });

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
        const passwordHash = await Bun.password.hash(body.password);
        const user = await insertUser(db, {
          id: Bun.randomUUIDv7(),
          ...address,
          name: normaliseName(body.name),
          passwordHash,
          now: now(),
        });
        if (!user) throw new AppError(409, "email_taken", "an account with this email already exists");
        set.status = 201;
        return session(user);
      },
      {
        parse: "json",
        body: SignupBody,
        transform: rejectUnknownFields(SignupBody),
        response: { 201: Session },
        detail: { tags: ["auth"], summary: "Create an account", security: [] },
      },
    )
    .post(
      "/api/auth/login",
      async ({ body }) => {
        // A malformed email cannot have an account: answered like an unknown one, without a query.
        const address = normaliseEmail(body.email);
        const user = address && (await findUserByEmailKey(db, address.emailKey));
        const ok = await Bun.password.verify(body.password, user?.passwordHash ?? (await dummy()));
        if (!user || !ok) throw badCredentials();
        return session(user);
      },
      {
        parse: "json",
        body: LoginBody,
        transform: rejectUnknownFields(LoginBody),
        response: { 200: Session },
        detail: { tags: ["auth"], summary: "Log in with email and password", security: [] },
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
        transform: rejectUnknownFields(ProfilePatch),
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
