import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import { type Caller, USER_COLUMNS } from "./accounts.js";
import { hashToken } from "./tokens.js";

/** The session cookie's name. */
export const SESSION_COOKIE = "modelgate_session";
/** How long a page session lasts without signing in again. */
export const SESSION_LIFETIME_MS = HUB_FIXED_LIMITS.sessionLifetimeMs;

/** A new session: the cookie value (shown once, to the browser) and its CSRF token. */
export async function createSession(
  db: Kysely<Database>,
  userId: number,
  address: string,
): Promise<{ cookie: string; csrf: string; expires: Date }> {
  const cookie = randomBytes(32).toString("base64url");
  const csrf = randomBytes(32).toString("base64url");
  const created = new Date();
  const expires = new Date(created.getTime() + SESSION_LIFETIME_MS);
  await db
    .insertInto("sessions")
    .values({
      hash: hashToken(cookie),
      user_id: userId,
      csrf,
      created_at: created.toISOString(),
      expires_at: expires.toISOString(),
      address,
    })
    .execute();
  return { cookie, csrf, expires };
}

/** A session found from its cookie: the caller it signs in, its CSRF token and its key. */
export interface SessionFound {
  caller: Caller;
  csrf: string;
  hash: string;
}

/** The session of a cookie value, or undefined when unknown or expired (signed out elsewhere). */
export async function sessionFor(db: Kysely<Database>, cookie: string): Promise<SessionFound | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(cookie)) return undefined;
  const hash = hashToken(cookie);
  const row = await db
    .selectFrom("sessions")
    .innerJoin("accounts", "accounts.id", "sessions.user_id")
    .select([
      ...USER_COLUMNS,
      "sessions.csrf as csrf",
      "sessions.created_at as createdAt",
      "sessions.expires_at as expiresAt",
    ])
    .where("sessions.hash", "=", hash)
    .executeTakeFirst();
  if (!row || Date.parse(row.expiresAt) <= Date.now()) return undefined;
  return {
    hash,
    csrf: row.csrf,
    caller: {
      id: row.id,
      name: row.name,
      fullname: row.fullname,
      role: "write",
      scopes: [],
      via: "session",
      tokenId: undefined,
      tokenName: "web session",
      tokenCreatedAt: row.createdAt,
      twoFactor: row.totpSecret !== null,
      isAdmin: row.isAdmin === 1,
    },
  };
}

/** Ends one session. */
export async function endSession(db: Kysely<Database>, hash: string): Promise<void> {
  await db.deleteFrom("sessions").where("hash", "=", hash).execute();
}

/** Ends every session of a user (sign out everywhere, password or 2FA changes). Returns how many. */
export async function endAllSessions(db: Kysely<Database>, userId: number): Promise<number> {
  const result = await db.deleteFrom("sessions").where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
