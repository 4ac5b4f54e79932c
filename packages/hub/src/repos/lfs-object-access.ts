import { blockedUnderPolicy } from "../commit/enforce-block-policy.js";
import type { HubContext } from "../context.js";
import { fileStatusOf, isQuarantined, worseStatus } from "../scan/security-status.js";
import type { FileStatus } from "../scan/security-status-types.js";
import type { RepoRef } from "./repo-ref.js";

/** Whether an LFS object may be downloaded from a repository: its size, or the LFS error to answer. */
export type LfsObjectAccess = { ok: true; size: number } | { ok: false; code: 403 | 404; message: string };

/**
 * Decides whether the LFS object `oid` (validated) may be handed out from `repo` (read access
 * already checked). It must be stored, linked to this repository (uploaded to it), and part of a
 * commit the hub accepted (recorded as an LFS blob): an object uploaded for a push that was then
 * refused, or never committed, is not served. Under quarantine, an object whose scan (under any
 * path) found it unsafe or infected, or is still pending, is held back as `resolve` holds it back;
 * under the block policy, so is one the policy refuses (the blob table is shared by repositories, so
 * an object a refused push uploaded here may be committed in another repository under `warn`).
 */
export async function lfsObjectAccess(ctx: HubContext, repo: RepoRef, oid: string): Promise<LfsObjectAccess> {
  const missing = { ok: false, code: 404, message: "Object does not exist" } as const;
  const size = await ctx.lfs.sizeOf(oid);
  if (size === undefined) return missing;
  const linked = await lfsLinked(ctx, repo.id, oid);
  const committed = await ctx.db
    .selectFrom("blobs")
    .select("git_oid")
    .where("sha256", "=", oid)
    .where("lfs", "=", 1)
    .executeTakeFirst();
  if (!linked || !committed) return missing;
  if (!repo.quarantine && repo.policy !== "block") return { ok: true, size };
  const status = await lfsObjectStatus(ctx, oid);
  if (repo.quarantine && isQuarantined(status)) {
    const pending = status === "queued" || status === "scanning";
    const why = pending ? `its scan is ${status}; retry shortly` : `its scan found it ${status}`;
    return { ok: false, code: 403, message: `object ${oid} is quarantined: ${why}` };
  }
  if (repo.policy === "block" && blockedUnderPolicy(status)) {
    return { ok: false, code: 403, message: `object ${oid} is refused by the block policy: ${status}` };
  }
  return { ok: true, size };
}

/** The worst status of the object's scans (one per path key it was scanned under). */
async function lfsObjectStatus(ctx: HubContext, oid: string): Promise<FileStatus> {
  const scans = await ctx.db
    .selectFrom("scans")
    .select(["state", "verdict", "infected", "report", "error"])
    .where((eb) => eb.or([eb("key", "=", oid), eb("key", "like", `${oid}/%`)]))
    .execute();
  return scans.reduce<FileStatus>((worst, s) => worseStatus(worst, fileStatusOf(s)), "safe");
}

/** True when the LFS object `oid` was uploaded to (or committed in) the repository `repoId`. */
export async function lfsLinked(ctx: HubContext, repoId: number, oid: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom("lfs_links")
    .select("oid")
    .where("repo_id", "=", repoId)
    .where("oid", "=", oid)
    .executeTakeFirst();
  return row !== undefined;
}
