import { type HubStorage, openDatabase } from "../db/open-database.js";
import { insertUser, issueToken, joinOrg } from "./accounts.js";
import { appendAudit } from "./audit-log.js";
import { hashNewPassword } from "./password-hash.js";

/** Options of `createUser`. */
export interface CreateUserOptions {
  /** A password for the web pages (at least 10 characters); without one the user signs in with tokens only. */
  password?: string;
  /** Makes the user a hub administrator (may create users and invitations in the pages). */
  admin?: boolean;
}

/**
 * `modelgate user create NAME [--org ORG] [--admin] [--password-stdin] [--data DIR] [--database URL]`: creates a user (and adds it to `org`,
 * creating the organisation when it does not exist yet) in the hub stored in `storage`, and returns
 * the user's first write token. The token is shown once; only its hash is stored.
 * Throws a `HubError` (409) when the name is taken, (400) when a name breaks the Hub's rules.
 */
export async function createUser(
  storage: HubStorage,
  name: string,
  org?: string,
  options: CreateUserOptions = {},
): Promise<string> {
  const passwordHash = options.password !== undefined ? await hashNewPassword(options.password) : undefined;
  const db = await openDatabase(storage);
  try {
    return await db.transaction().execute(async (trx) => {
      const userId = await insertUser(trx, name, {
        ...(passwordHash ? { passwordHash } : {}),
        ...(options.admin ? { admin: true } : {}),
      });
      if (org !== undefined) await joinOrg(trx, userId, org);
      const issued = await issueToken(trx, userId, { role: "write", name: "first token" });
      await appendAudit(trx, {
        accountId: userId,
        actor: "(command line)",
        kind: "user.created",
        detail: { admin: options.admin === true, password: passwordHash !== undefined, org: org ?? null },
      });
      return issued.token;
    });
  } finally {
    await db.destroy();
  }
}
