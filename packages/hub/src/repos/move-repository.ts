import { mkdir, rename } from "node:fs/promises";
import { dirname } from "node:path";
import type { HubContext } from "../context.js";
import { removeRepoDir } from "../git/git-repo.js";
import type { ScanSource } from "../scan/scan-service.js";
import { repoLocks } from "./repo-locks.js";
import { gitDirFor, type RepoRef } from "./repo-ref.js";

/**
 * Renames or transfers a repository to `namespace/name` (free, and the caller may create there:
 * the route checks both). Its folder moves, its row takes the new name and owner (so the new
 * owner's policy applies from the next request), and the old name becomes a redirect, as on the
 * Hub. Scans still queued read the blobs from the new folder. If the database update fails, the
 * folder moves back.
 */
export async function moveRepository(
  ctx: HubContext,
  repo: RepoRef,
  to: { namespace: string; name: string; ownerId: number },
): Promise<void> {
  const target = gitDirFor(ctx, repo.type, to.namespace, to.name);
  await repoLocks.run(repo.gitDir, async () => {
    ctx.refs.close(repo.gitDir);
    ctx.branches.forgetRepo(repo.gitDir);
    // A folder without a row under the new name is a leftover of a crash.
    await removeRepoDir(target);
    await mkdir(dirname(target), { recursive: true });
    await rename(repo.gitDir, target);
    try {
      await ctx.db.transaction().execute(async (trx) => {
        await trx
          .updateTable("repos")
          .set({ namespace: to.namespace, name: to.name, owner_id: to.ownerId })
          .where("id", "=", repo.id)
          .execute();
        // The new name is a repository now, not a redirect; the old one redirects here.
        await trx
          .deleteFrom("repo_redirects")
          .where("type", "=", repo.type)
          .where("namespace", "=", to.namespace)
          .where("name", "=", to.name)
          .execute();
        await trx
          .insertInto("repo_redirects")
          .values({ type: repo.type, namespace: repo.namespace, name: repo.name, repo_id: repo.id })
          .onConflict((oc) => oc.columns(["type", "namespace", "name"]).doUpdateSet({ repo_id: repo.id }))
          .execute();
        const pending = await trx
          .selectFrom("scans")
          .select(["key", "source"])
          .where("state", "in", ["queued", "scanning"])
          .execute();
        for (const row of pending) {
          const source = JSON.parse(row.source) as ScanSource;
          if ("git" in source && source.git === repo.gitDir) {
            await trx
              .updateTable("scans")
              .set({ source: JSON.stringify({ ...source, git: target }) })
              .where("key", "=", row.key)
              .execute();
          }
        }
      });
    } catch (err) {
      await rename(target, repo.gitDir);
      throw err;
    }
  });
}

/** Drops a redirect from a name that is now taken by a new repository. */
export async function dropRedirect(
  ctx: HubContext,
  repo: { type: RepoRef["type"]; namespace: string; name: string },
): Promise<void> {
  await ctx.db
    .deleteFrom("repo_redirects")
    .where("type", "=", repo.type)
    .where("namespace", "=", repo.namespace)
    .where("name", "=", repo.name)
    .execute();
}
