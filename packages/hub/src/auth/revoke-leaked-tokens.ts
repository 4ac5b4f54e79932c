import type { FileReport } from "@modelgate/scanner";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { appendAudit } from "./audit-log.js";
import { TOKEN_DETECTOR } from "./tokens.js";

/**
 * Revokes every live token of this hub that a scan found in pushed content (any repository,
 * public or private), and tells each owner in the pages and the audit log. Tokens are recognised
 * by the fingerprint the secrets check reports, so the scan never hands the token itself over.
 * The notice does not say where the token was pushed: that repository may be someone else's.
 * Returns how many tokens were revoked.
 */
export async function revokeLeakedTokens(db: Kysely<Database>, report: FileReport): Promise<number> {
  const fingerprints = report.findings
    .filter((f) => f.check === "secrets" && f.data?.detector === TOKEN_DETECTOR)
    .map((f) => f.data?.fingerprint)
    .filter((f): f is string => typeof f === "string");
  if (fingerprints.length === 0) return 0;
  const leaked = await db
    .selectFrom("tokens")
    .select(["id", "user_id", "name"])
    .where("leak_fingerprint", "in", fingerprints)
    .where("revoked_at", "is", null)
    .execute();
  const at = new Date().toISOString();
  for (const token of leaked) {
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable("tokens")
        .set({ revoked_at: at, revoked_reason: "found in a push by the secrets check" })
        .where("id", "=", token.id)
        .execute();
      await trx
        .insertInto("notifications")
        .values({
          user_id: token.user_id,
          kind: "token-leaked",
          message: `Your access token "${token.name}" was found in a file pushed to this hub and has been revoked. Create a new one, and remove the old one wherever it is stored.`,
          created_at: at,
          dismissed_at: null,
        })
        .execute();
      await appendAudit(trx, {
        accountId: token.user_id,
        actor: "(secrets check)",
        kind: "token.leaked-revoked",
        detail: { tokenId: token.id, name: token.name },
      });
    });
  }
  return leaked.length;
}
