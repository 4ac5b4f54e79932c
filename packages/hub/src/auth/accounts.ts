import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { HubError } from "../hub-error.js";
import { assertValidName } from "../names.js";
import { generateToken, hashToken } from "./tokens.js";

/** The caller of a request, resolved from its bearer token. */
export interface Caller {
  id: number;
  name: string;
  fullname: string;
  role: "read" | "write";
  tokenName: string;
  tokenCreatedAt: string;
}

const now = (): string => new Date().toISOString();

/** Creates a user account. Throws a 409 when the name is taken by a user or an organisation. */
export async function insertUser(db: Kysely<Database>, name: string): Promise<number> {
  assertValidName(name, "user name");
  const existing = await db.selectFrom("accounts").select("id").where("name", "=", name).executeTakeFirst();
  if (existing) throw new HubError(409, "Conflict", `the name "${name}" is already taken`);
  const row = await db
    .insertInto("accounts")
    .values({ name, kind: "user", fullname: name, policy: null, quarantine: null, created_at: now() })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Adds `userId` to organisation `org` with write access, creating the organisation if needed. */
export async function joinOrg(db: Kysely<Database>, userId: number, org: string): Promise<void> {
  assertValidName(org, "organisation name");
  let account = await db
    .selectFrom("accounts")
    .select(["id", "kind"])
    .where("name", "=", org)
    .executeTakeFirst();
  if (account && account.kind !== "org")
    throw new HubError(409, "Conflict", `"${org}" is a user, not an organisation`);
  if (!account) {
    account = await db
      .insertInto("accounts")
      .values({ name: org, kind: "org", fullname: org, policy: null, quarantine: null, created_at: now() })
      .returning(["id", "kind"])
      .executeTakeFirstOrThrow();
  }
  await db
    .insertInto("memberships")
    .values({ org_id: account.id, user_id: userId, role: "write" })
    .onConflict((oc) => oc.columns(["org_id", "user_id"]).doNothing())
    .execute();
}

/** Issues a new token for a user and returns it; only its hash is stored. */
export async function issueToken(
  db: Kysely<Database>,
  userId: number,
  role: "read" | "write",
  name: string,
): Promise<string> {
  const token = generateToken();
  await db
    .insertInto("tokens")
    .values({ user_id: userId, hash: hashToken(token), role, name, created_at: now() })
    .execute();
  return token;
}

/** The caller a token belongs to, or undefined for an unknown token. */
export async function callerForToken(db: Kysely<Database>, token: string): Promise<Caller | undefined> {
  const row = await db
    .selectFrom("tokens")
    .innerJoin("accounts", "accounts.id", "tokens.user_id")
    .select([
      "accounts.id as id",
      "accounts.name as name",
      "accounts.fullname as fullname",
      "tokens.role as role",
      "tokens.name as tokenName",
      "tokens.created_at as tokenCreatedAt",
    ])
    .where("tokens.hash", "=", hashToken(token))
    .executeTakeFirst();
  return row;
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
