import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";

const SETTING = "signing-key-generation";

/**
 * The key-set generation: a counter bumped by every change to signing keys or account e-mail
 * addresses. Cached verification results carry the generation they were computed under, so any such
 * change makes every cached result stale at once (a key deleted, an address moved to another account).
 */
export async function keyGeneration(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", SETTING).executeTakeFirst();
  return row ? Number(row.value) : 0;
}

/** Moves the key-set generation on (inside the transaction that changes keys or e-mails). */
export async function bumpKeyGeneration(db: Kysely<Database>): Promise<void> {
  const next = String((await keyGeneration(db)) + 1);
  await db
    .insertInto("settings")
    .values({ key: SETTING, value: next })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: next }))
    .execute();
}
