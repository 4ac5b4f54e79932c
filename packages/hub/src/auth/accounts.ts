import type { Kysely } from "kysely";
import type { Database, TokenRole } from "../db/schema.js";
import { HubError } from "../hub-error.js";
import { assertValidName } from "../names.js";
import type { TokenScope } from "./token-scopes.js";
import { generateToken, hashToken, leakFingerprint } from "./tokens.js";

/** The caller of a request: a user, through an access token or a page session. */
export interface Caller {
  id: number;
  name: string;
  fullname: string;
  /** What the credential may do: a session acts as its user (`write`), a token as its role. */
  role: TokenRole;
  /** Fine-grained tokens' scopes (empty otherwise). */
  scopes: TokenScope[];
  via: "token" | "session";
  tokenId: number | undefined;
  tokenName: string;
  tokenCreatedAt: string;
  /** The user has enrolled TOTP (organisations may require it to write). */
  twoFactor: boolean;
  isAdmin: boolean;
}

const now = (): string => new Date().toISOString();

/** The account columns a caller is built from (joined with a token's or a session's row). */
export const USER_COLUMNS = [
  "accounts.id as id",
  "accounts.name as name",
  "accounts.fullname as fullname",
  "accounts.totp_secret as totpSecret",
  "accounts.is_admin as isAdmin",
] as const;

/** Creates a user account. Throws a 409 when the name is taken by a user or an organisation. */
export async function insertUser(
  db: Kysely<Database>,
  name: string,
  options: { passwordHash?: string; admin?: boolean } = {},
): Promise<number> {
  assertValidName(name, "user name");
  const existing = await db.selectFrom("accounts").select("id").where("name", "=", name).executeTakeFirst();
  if (existing) throw new HubError(409, "Conflict", `the name "${name}" is already taken`);
  const row = await db
    .insertInto("accounts")
    .values({
      name,
      kind: "user",
      fullname: name,
      policy: null,
      quarantine: null,
      created_at: now(),
      password_hash: options.passwordHash ?? null,
      is_admin: options.admin ? 1 : 0,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Adds `userId` to organisation `org` with write access, creating the organisation if needed (its
 * first member is its admin, who may change its settings).
 */
export async function joinOrg(db: Kysely<Database>, userId: number, org: string): Promise<void> {
  assertValidName(org, "organisation name");
  let account = await db
    .selectFrom("accounts")
    .select(["id", "kind"])
    .where("name", "=", org)
    .executeTakeFirst();
  if (account && account.kind !== "org")
    throw new HubError(409, "Conflict", `"${org}" is a user, not an organisation`);
  const created = !account;
  if (!account) {
    account = await db
      .insertInto("accounts")
      .values({ name: org, kind: "org", fullname: org, policy: null, quarantine: null, created_at: now() })
      .returning(["id", "kind"])
      .executeTakeFirstOrThrow();
  }
  await db
    .insertInto("memberships")
    .values({ org_id: account.id, user_id: userId, role: created ? "admin" : "write" })
    .onConflict((oc) => oc.columns(["org_id", "user_id"]).doNothing())
    .execute();
}

/** A token to issue: its name, role, fine-grained scopes and optional expiry. */
export interface TokenSpec {
  role: TokenRole;
  name: string;
  scopes?: TokenScope[];
  expiresAt?: string | undefined;
}

/** Issues a new token for a user and returns it with its id; only its hash is stored. */
export async function issueToken(
  db: Kysely<Database>,
  userId: number,
  spec: TokenSpec,
): Promise<{ token: string; id: number }> {
  const token = generateToken();
  const row = await db
    .insertInto("tokens")
    .values({
      user_id: userId,
      hash: hashToken(token),
      leak_fingerprint: leakFingerprint(token),
      role: spec.role,
      name: spec.name,
      created_at: now(),
      scopes: spec.role === "fineGrained" ? JSON.stringify(spec.scopes ?? []) : null,
      expires_at: spec.expiresAt ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { token, id: row.id };
}

/**
 * The caller a token belongs to, or undefined for an unknown, revoked or expired token: checked on
 * every request, so revocation and expiry take effect on the next one.
 */
export async function callerForToken(db: Kysely<Database>, token: string): Promise<Caller | undefined> {
  const row = await db
    .selectFrom("tokens")
    .innerJoin("accounts", "accounts.id", "tokens.user_id")
    .select([
      ...USER_COLUMNS,
      "tokens.id as tokenId",
      "tokens.role as role",
      "tokens.scopes as scopes",
      "tokens.name as tokenName",
      "tokens.created_at as tokenCreatedAt",
      "tokens.expires_at as expiresAt",
      "tokens.revoked_at as revokedAt",
      "tokens.leak_fingerprint as leakFingerprint",
    ])
    .where("tokens.hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row || row.revokedAt !== null) return undefined;
  if (row.expiresAt !== null && Date.parse(row.expiresAt) <= Date.now()) return undefined;
  // Tokens made before fingerprints were kept get theirs on first use (only then is the token known).
  if (row.leakFingerprint === null) {
    await db
      .updateTable("tokens")
      .set({ leak_fingerprint: leakFingerprint(token) })
      .where("id", "=", row.tokenId)
      .execute();
  }
  return {
    id: row.id,
    name: row.name,
    fullname: row.fullname,
    role: row.role,
    scopes: row.scopes ? (JSON.parse(row.scopes) as TokenScope[]) : [],
    via: "token",
    tokenId: row.tokenId,
    tokenName: row.tokenName,
    tokenCreatedAt: row.tokenCreatedAt,
    twoFactor: row.totpSecret !== null,
    isAdmin: row.isAdmin === 1,
  };
}

/** Organisations a user belongs to, with their role. */
export async function orgsOf(
  db: Kysely<Database>,
  userId: number,
): Promise<{ id: number; name: string; role: string }[]> {
  return db
    .selectFrom("memberships")
    .innerJoin("accounts", "accounts.id", "memberships.org_id")
    .select(["accounts.id as id", "accounts.name as name", "memberships.role as role"])
    .where("memberships.user_id", "=", userId)
    .execute();
}
