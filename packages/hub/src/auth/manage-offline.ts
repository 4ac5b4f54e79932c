import type { Kysely } from "kysely";
import { type HubStorage, openDatabase } from "../db/open-database.js";
import type { Database, TokenRole } from "../db/schema.js";
import { HubError } from "../hub-error.js";
import { appendAudit, readAudit } from "./audit-log.js";
import type { AuditRecord } from "./audit-record.js";

// Account management on a hub's storage (data folder and database), for the command line (`modelgate token ...`,
// `modelgate audit ...`, `modelgate org ...`): the same rows the API changes, audited the same way.

export async function withDb<T>(storage: HubStorage, run: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const db = await openDatabase(storage);
  try {
    return await run(db);
  } finally {
    await db.destroy();
  }
}

export async function accountId(db: Kysely<Database>, name: string, kind?: "user" | "org"): Promise<number> {
  let query = db.selectFrom("accounts").select("id").where("name", "=", name);
  if (kind) query = query.where("kind", "=", kind);
  const row = await query.executeTakeFirst();
  if (!row)
    throw new HubError(
      404,
      "EntryNotFound",
      `no ${kind === "org" ? "organisation" : (kind ?? "account")} named ${name}`,
    );
  return row.id;
}

/** A token as the command line lists it. */
export interface TokenListing {
  id: number;
  name: string;
  role: TokenRole;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The tokens of `user` (never the tokens themselves). */
export function listTokens(storage: HubStorage, user: string): Promise<TokenListing[]> {
  return withDb(storage, async (db) => {
    const id = await accountId(db, user, "user");
    const rows = await db.selectFrom("tokens").selectAll().where("user_id", "=", id).orderBy("id").execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      lastUsedAt: r.last_used_at,
      revokedAt: r.revoked_at,
    }));
  });
}

/** Revokes token `tokenId` of `user` (effective on the token's next request). */
export function revokeToken(storage: HubStorage, user: string, tokenId: number): Promise<void> {
  return withDb(storage, async (db) => {
    const id = await accountId(db, user, "user");
    const result = await db
      .updateTable("tokens")
      .set({ revoked_at: new Date().toISOString(), revoked_reason: "revoked from the command line" })
      .where("id", "=", tokenId)
      .where("user_id", "=", id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0)
      throw new HubError(404, "EntryNotFound", `${user} has no live token ${tokenId}`);
    await appendAudit(db, {
      accountId: id,
      actor: "(command line)",
      kind: "token.revoked",
      detail: { tokenId },
    });
  });
}

/** Requires (or stops requiring) 2FA of an organisation's members who write; audited on its log. */
export function setOrgRequire2fa(storage: HubStorage, org: string, required: boolean): Promise<void> {
  return withDb(storage, async (db) => {
    const id = await accountId(db, org, "org");
    await db
      .updateTable("accounts")
      .set({ require_2fa: required ? 1 : 0 })
      .where("id", "=", id)
      .execute();
    await appendAudit(db, {
      accountId: id,
      actor: "(command line)",
      kind: "org.policy-changed",
      detail: { require2fa: required },
    });
  });
}

/** The newest entries of a user's or organisation's audit log, newest first. */
export function readAuditLog(storage: HubStorage, account: string, limit = 100): Promise<AuditRecord[]> {
  return withDb(storage, async (db) => readAudit(db, await accountId(db, account), limit));
}
