import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { badInput, HubError } from "../hub-error.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import { bumpKeyGeneration } from "./key-generation.js";

/** The address the hub gives every user (and writes on the commits it makes for them). */
export const NOREPLY_DOMAIN = "users.noreply.modelgate";
/** Addresses per account (CWE-770). */
export const MAX_EMAILS_PER_ACCOUNT = HUB_FIXED_LIMITS.maxEmailsPerAccount;
const EMAIL = /^[^\s@<>]{1,64}@[^\s@<>]{1,255}$/;

/** The e-mail addresses of a user: `NAME@users.noreply.modelgate`, then those an administrator added. */
export async function listAccountEmails(db: Kysely<Database>, userId: number): Promise<string[]> {
  const user = await db.selectFrom("accounts").select("name").where("id", "=", userId).executeTakeFirst();
  const rows = await db
    .selectFrom("account_emails")
    .select("email")
    .where("account_id", "=", userId)
    .orderBy("email")
    .execute();
  return [...(user ? [`${user.name}@${NOREPLY_DOMAIN}`.toLowerCase()] : []), ...rows.map((r) => r.email)];
}

/** The user an address belongs to (compared lower-case), if any. */
export async function emailOwner(
  db: Kysely<Database>,
  email: string,
): Promise<{ id: number; name: string } | undefined> {
  const address = email.toLowerCase();
  const suffix = `@${NOREPLY_DOMAIN}`;
  if (address.endsWith(suffix)) {
    const name = address.slice(0, -suffix.length);
    return db
      .selectFrom("accounts")
      .select(["id", "name"])
      .where("kind", "=", "user")
      .where((eb) => eb.fn("lower", ["name"]), "=", name)
      .executeTakeFirst();
  }
  return db
    .selectFrom("account_emails")
    .innerJoin("accounts", "accounts.id", "account_emails.account_id")
    .select(["accounts.id as id", "accounts.name as name"])
    .where("account_emails.email", "=", address)
    .executeTakeFirst();
}

/**
 * Vouches for an e-mail address on a user's account (an administrator's act: the hub sends no mail
 * to check it). Commits whose committer address it is can then be Verified as that user's.
 */
export async function addAccountEmail(db: Kysely<Database>, userId: number, email: string): Promise<string> {
  const address = email.trim().toLowerCase();
  if (!EMAIL.test(address)) throw badInput(`${JSON.stringify(email.slice(0, 100))} is not an e-mail address`);
  if (address.endsWith(`@${NOREPLY_DOMAIN}`))
    throw badInput(`addresses @${NOREPLY_DOMAIN} are given by the hub`);
  const owner = await emailOwner(db, address);
  if (owner) {
    throw new HubError(
      409,
      "Conflict",
      owner.id === userId ? `${address} is already on this account` : `${address} is on another account`,
    );
  }
  const count = await db
    .selectFrom("account_emails")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("account_id", "=", userId)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_EMAILS_PER_ACCOUNT)
    throw badInput(`at most ${MAX_EMAILS_PER_ACCOUNT} addresses per account`);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("account_emails")
      .values({ email: address, account_id: userId, created_at: new Date().toISOString() })
      .execute();
    await bumpKeyGeneration(trx);
  });
  return address;
}

/** Removes an address from a user's account (404 when it is not there). */
export async function removeAccountEmail(db: Kysely<Database>, userId: number, email: string): Promise<void> {
  const address = email.trim().toLowerCase();
  await db.transaction().execute(async (trx) => {
    const result = await trx
      .deleteFrom("account_emails")
      .where("email", "=", address)
      .where("account_id", "=", userId)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0)
      throw new HubError(404, "EntryNotFound", `${address} is not on this account`);
    await bumpKeyGeneration(trx);
  });
}
