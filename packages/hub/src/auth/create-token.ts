import { openDatabase } from "../db/open-database.js";
import { HubError } from "../hub-error.js";
import { issueToken } from "./accounts.js";

/**
 * Issues another token for an existing user of the hub stored at `dataDir` and returns it (shown
 * once; only its hash is stored). `read` tokens can read what the user can read and write nothing.
 * Throws a 404 `HubError` when there is no such user.
 */
export async function createToken(
  dataDir: string,
  user: string,
  role: "read" | "write",
  name = `${role} token`,
): Promise<string> {
  const db = await openDatabase(dataDir);
  try {
    const account = await db
      .selectFrom("accounts")
      .select("id")
      .where("name", "=", user)
      .where("kind", "=", "user")
      .executeTakeFirst();
    if (!account) throw new HubError(404, "EntryNotFound", `no user named ${user}`);
    return await issueToken(db, account.id, role, name);
  } finally {
    await db.destroy();
  }
}
