import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import type { AuditRecord } from "./audit-record.js";

/** What the audit log records (one word per kind of event, dotted by subject). */
export type AuditKind =
  | "sign-in"
  | "sign-in.failed"
  | "sign-in.rate-limited"
  | "sign-out.everywhere"
  | "password.set"
  | "2fa.enabled"
  | "2fa.disabled"
  | "2fa.recovery-code-used"
  | "token.created"
  | "token.revoked"
  | "token.leaked-revoked"
  | "token.new-address"
  | "user.created"
  | "invitation.created"
  | "org.policy-changed"
  | "push.refused-by-policy"
  | "download.accept-risk"
  | "signing-key.added"
  | "signing-key.deleted"
  | "email.added"
  | "email.removed"
  | "signed-commits.rule-changed"
  | "no-force-push.rule-changed";

/** One entry to append: whose log it goes to, who did it, from where, and details (never a secret). */
export interface AuditEntry {
  accountId: number;
  actor?: string | undefined;
  kind: AuditKind;
  address?: string | undefined;
  detail?: Record<string, unknown>;
}

/**
 * Appends entries to the audit log. The table refuses UPDATE and DELETE (triggers), so what is
 * written here stays as written.
 */
export async function appendAudit(db: Kysely<Database>, ...entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const at = new Date().toISOString();
  await db
    .insertInto("audit_log")
    .values(
      entries.map((e) => ({
        account_id: e.accountId,
        actor: e.actor ?? null,
        kind: e.kind,
        address: e.address ?? null,
        detail: JSON.stringify(e.detail ?? {}),
        created_at: at,
      })),
    )
    .execute();
}

/** The newest entries of an account's log, newest first, before `before` (an id) when given. */
export async function readAudit(
  db: Kysely<Database>,
  accountId: number,
  limit: number,
  before?: number,
): Promise<AuditRecord[]> {
  let query = db.selectFrom("audit_log").selectAll().where("account_id", "=", accountId);
  if (before !== undefined) query = query.where("id", "<", before);
  const rows = await query.orderBy("id", "desc").limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    actor: r.actor,
    address: r.address,
    createdAt: r.created_at,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  }));
}

/**
 * Writes an event about a repository to its owner's log (user or organisation) and, when someone
 * else did it, to theirs too: a quarantine override, a push refused by policy.
 */
export async function auditOverride(
  db: Kysely<Database>,
  ownerId: number,
  caller: { id: number; name: string } | undefined,
  entry: Omit<AuditEntry, "accountId" | "actor">,
): Promise<void> {
  const actor = caller?.name ?? "(anonymous)";
  const entries: AuditEntry[] = [{ ...entry, accountId: ownerId, actor }];
  if (caller && caller.id !== ownerId) entries.push({ ...entry, accountId: caller.id, actor });
  await appendAudit(db, ...entries);
}
