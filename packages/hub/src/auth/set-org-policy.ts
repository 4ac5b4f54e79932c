import type { PushPolicy } from "../context.js";
import { type HubStorage, openDatabase } from "../db/open-database.js";
import { HubError } from "../hub-error.js";
import { appendAudit } from "./audit-log.js";

/** An organisation's overrides of the hub's policy; `null` returns to the hub's default. */
export interface OrgPolicy {
  policy?: PushPolicy | null;
  quarantine?: boolean | null;
}

/**
 * Sets an organisation's push policy (`warn`/`block`) and download quarantine in the hub stored in
 * `storage`, overriding the hub's defaults for its repositories. Takes effect on the next request.
 * Throws a 404 `HubError` when there is no such organisation.
 */
export async function setOrgPolicy(storage: HubStorage, org: string, settings: OrgPolicy): Promise<void> {
  const db = await openDatabase(storage);
  try {
    const update: { policy?: string | null; quarantine?: number | null } = {};
    if (settings.policy !== undefined) update.policy = settings.policy;
    if (settings.quarantine !== undefined)
      update.quarantine = settings.quarantine === null ? null : settings.quarantine ? 1 : 0;
    if (Object.keys(update).length === 0) return;
    const result = await db
      .updateTable("accounts")
      .set(update)
      .where("name", "=", org)
      .where("kind", "=", "org")
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0)
      throw new HubError(404, "EntryNotFound", `no organisation named ${org}`);
    const row = await db
      .selectFrom("accounts")
      .select("id")
      .where("name", "=", org)
      .executeTakeFirstOrThrow();
    await appendAudit(db, {
      accountId: row.id,
      actor: "(command line)",
      kind: "org.policy-changed",
      detail: { policy: settings.policy, quarantine: settings.quarantine },
    });
  } finally {
    await db.destroy();
  }
}
