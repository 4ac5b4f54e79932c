import { openDatabase } from "../db/open-database.js";
import { insertUser, issueToken, joinOrg } from "./accounts.js";

/**
 * `modelgate user create NAME [--org ORG] [--data DIR]`: creates a user (and adds it to `org`,
 * creating the organisation when it does not exist yet) in the hub stored at `dataDir`, and returns
 * the user's first write token. The token is shown once; only its hash is stored.
 * Throws a `HubError` (409) when the name is taken, (400) when a name breaks the Hub's rules.
 */
export async function createUser(dataDir: string, name: string, org?: string): Promise<string> {
  const db = await openDatabase(dataDir);
  try {
    return await db.transaction().execute(async (trx) => {
      const userId = await insertUser(trx, name);
      if (org !== undefined) await joinOrg(trx, userId, org);
      return issueToken(trx, userId, "write", "first token");
    });
  } finally {
    await db.destroy();
  }
}
