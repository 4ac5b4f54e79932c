import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import type { Caller } from "./accounts.js";
import { appendAudit } from "./audit-log.js";

/** `last_used_at` is written at most this often per token, so reads do not each cost a write. */
const LAST_USED_RESOLUTION_MS = 60_000;
/** Remembered (token, address) pairs; past this the set is cleared (CWE-770) and the DB answers. */
const MAX_REMEMBERED = HUB_FIXED_LIMITS.maxRememberedTokenUses;

/**
 * Records a token's use: its last-used time, and each new address it is used from, which goes to
 * the owner's audit log (`token.new-address`).
 */
export class TokenUseTracker {
  private readonly lastWrite = new Map<number, number>();
  private readonly seen = new Set<string>();

  constructor(private readonly db: Kysely<Database>) {}

  async note(caller: Caller, address: string): Promise<void> {
    const tokenId = caller.tokenId;
    if (tokenId === undefined) return;
    const now = Date.now();
    if (now - (this.lastWrite.get(tokenId) ?? 0) >= LAST_USED_RESOLUTION_MS) {
      if (this.lastWrite.size >= MAX_REMEMBERED) this.lastWrite.clear();
      this.lastWrite.set(tokenId, now);
      await this.db
        .updateTable("tokens")
        .set({ last_used_at: new Date(now).toISOString() })
        .where("id", "=", tokenId)
        .execute();
    }
    const key = `${tokenId} ${address}`;
    if (this.seen.has(key)) return;
    if (this.seen.size >= MAX_REMEMBERED) this.seen.clear();
    this.seen.add(key);
    const inserted = await this.db
      .insertInto("token_addresses")
      .values({ token_id: tokenId, address })
      .onConflict((oc) => oc.columns(["token_id", "address"]).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) {
      await appendAudit(this.db, {
        accountId: caller.id,
        actor: caller.name,
        kind: "token.new-address",
        address,
        detail: { tokenId, name: caller.tokenName },
      });
    }
  }
}
