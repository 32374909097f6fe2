import type { Queryable } from "@todo/common/db";

/** The users table as the API shows it (the password hash never leaves this module's callers). */
export interface User {
  id: string;
  email: string;
  name: string | null;
  timeZone: string;
  createdAt: Date;
}

export interface UserWithPassword extends User {
  passwordHash: string;
}

interface UserRow {
  id: string;
  email: string;
  name: string | null;
  time_zone: string;
  created_at: Date;
  password_hash: string;
}

const COLUMNS = "id, email, name, time_zone, created_at, password_hash";

/** Inserts the user; undefined when the email is taken (also when a concurrent signup won the race). */
export async function insertUser(
  db: Queryable,
  user: { id: string; email: string; emailKey: string; name: string | null; passwordHash: string; now: Date },
): Promise<User | undefined> {
  const rows = await db.query<UserRow>(
    `INSERT INTO users (id, email, email_key, name, password_hash, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6)
     ON CONFLICT (email_key) DO NOTHING
     RETURNING ${COLUMNS}`,
    [user.id, user.email, user.emailKey, user.name, user.passwordHash, user.now],
  );
  return rows[0] && toUser(rows[0]);
}

export async function findUserByEmailKey(db: Queryable, emailKey: string): Promise<UserWithPassword | undefined> {
  const rows = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE email_key = $1`, [emailKey]);
  return rows[0] && { ...toUser(rows[0]), passwordHash: rows[0].password_hash };
}

export async function findUserById(db: Queryable, id: string): Promise<User | undefined> {
  const rows = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0] && toUser(rows[0]);
}

/** Whether an account with this id exists (what a token must name to be accepted). */
export async function userExists(db: Queryable, id: string): Promise<boolean> {
  return (await db.query("SELECT 1 FROM users WHERE id = $1", [id])).length > 0;
}

/** Changes the given profile fields (undefined = keep); undefined when the user does not exist. */
export async function updateUserProfile(
  db: Queryable,
  id: string,
  patch: { name?: string | null; timeZone?: string; now: Date },
): Promise<User | undefined> {
  const rows = await db.query<UserRow>(
    `UPDATE users SET
       name = CASE WHEN $2 THEN $3 ELSE name END,
       time_zone = COALESCE($4, time_zone),
       updated_at = $5
     WHERE id = $1
     RETURNING ${COLUMNS}`,
    [id, patch.name !== undefined, patch.name ?? null, patch.timeZone ?? null, patch.now],
  );
  return rows[0] && toUser(rows[0]);
}

function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, name: row.name, timeZone: row.time_zone, createdAt: row.created_at };
}
