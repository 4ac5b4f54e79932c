import { existsSync } from "node:fs";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { gitDirFor } from "../repos/repo-ref.js";
import type { PushSite, ScanSource } from "./scan-service.js";

/**
 * The repositories holding scanned content `key`, with the path and commit of its latest push there
 * (`scan_sites`). Contents pushed before pushes were recorded per repository fall back to the
 * repositories an LFS object was uploaded to (path: the one it was scanned under; commit unknown).
 */
export async function pushSitesOf(
  db: Kysely<Database>,
  key: string,
  sourceJson: string,
): Promise<PushSite[]> {
  const sites = await db
    .selectFrom("scan_sites")
    .innerJoin("repos", "repos.id", "scan_sites.repo_id")
    .select(["scan_sites.repo_id as repoId", "repos.owner_id as ownerId", "commit_oid as commit", "path"])
    .where("scan_sites.key", "=", key)
    .execute();
  if (sites.length > 0) return sites;
  const source = JSON.parse(sourceJson) as ScanSource;
  if (!("lfs" in source)) return [];
  const scan = await db.selectFrom("scans").select("name").where("key", "=", key).executeTakeFirst();
  const linked = await db
    .selectFrom("lfs_links")
    .innerJoin("repos", "repos.id", "lfs_links.repo_id")
    .select(["lfs_links.repo_id as repoId", "repos.owner_id as ownerId"])
    .where("lfs_links.oid", "=", source.lfs)
    .execute();
  return linked.map((l) => ({ ...l, commit: "", path: scan?.name ?? "" }));
}

/**
 * Where a stored content can be read now. LFS objects stay in the store; a git blob is read from the
 * repository it was first scanned in, or, when that one was moved or deleted since, from another
 * repository it was pushed to (the same bytes are the same blob in every repository). Throws when
 * no repository holds it any more: a rescan then ends as `error`.
 */
export async function liveSource(
  db: Kysely<Database>,
  reposDir: string,
  key: string,
  source: ScanSource,
): Promise<ScanSource> {
  if ("lfs" in source || existsSync(source.git)) return source;
  const repos = await db
    .selectFrom("scan_sites")
    .innerJoin("repos", "repos.id", "scan_sites.repo_id")
    .select(["repos.type", "repos.namespace", "repos.name"])
    .where("scan_sites.key", "=", key)
    .execute();
  for (const r of repos) {
    const git = gitDirFor({ reposDir }, r.type, r.namespace, r.name);
    if (existsSync(git)) return { git, oid: source.oid };
  }
  throw new Error("the content is no longer in any repository of the hub");
}

/** Security events of one kind for each push site (`GET /api/events` shows them to the owners). */
export async function insertScanEvents(
  db: Kysely<Database>,
  sites: readonly PushSite[],
  kind: "secret-found" | "scan-verdict-changed",
  detail: Record<string, unknown>,
): Promise<void> {
  if (sites.length === 0) return;
  const created = new Date().toISOString();
  await db
    .insertInto("events")
    .values(
      sites.map((site) => ({
        owner_id: site.ownerId,
        repo_id: site.repoId,
        kind,
        path: site.path,
        commit_oid: site.commit,
        detail: JSON.stringify(detail),
        created_at: created,
      })),
    )
    .execute();
}
