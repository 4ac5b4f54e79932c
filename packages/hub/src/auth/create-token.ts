import { type HubStorage, openDatabase } from "../db/open-database.js";
import { HubError } from "../hub-error.js";
import { issueToken, type TokenSpec } from "./accounts.js";
import { appendAudit } from "./audit-log.js";

/**
 * Issues another token for an existing user of the hub stored in `storage` and returns it (shown
 * once; only its hash is stored). `read` tokens can read what the user can read and write nothing.
 * Throws a 404 `HubError` when there is no such user.
 */
export async function createToken(
  storage: HubStorage,
  user: string,
  role: TokenSpec["role"],
  name = `${role} token`,
  options: Pick<TokenSpec, "scopes" | "expiresAt"> = {},
): Promise<string> {
  const db = await openDatabase(storage);
  try {
    const account = await db
      .selectFrom("accounts")
      .select("id")
      .where("name", "=", user)
      .where("kind", "=", "user")
      .executeTakeFirst();
    if (!account) throw new HubError(404, "EntryNotFound", `no user named ${user}`);
    const issued = await issueToken(db, account.id, { role, name, ...options });
    await appendAudit(db, {
      accountId: account.id,
      actor: "(command line)",
      kind: "token.created",
      detail: { tokenId: issued.id, name, role, expiresAt: options.expiresAt ?? null },
    });
    return issued.token;
  } finally {
    await db.destroy();
  }
}
