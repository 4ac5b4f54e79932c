import { createHash } from "node:crypto";
import type { HubContext } from "../context.js";
import { initBareRepo, removeRepoDir } from "../git/git-repo.js";
import { writeLooseObject } from "../git/loose-objects.js";
import { writeCommit } from "../git/write-commit.js";
import type { RepoType } from "../names.js";
import { scanKeyOf } from "../scan/scan-key.js";
import { INITIAL_GITATTRIBUTES } from "./initial-gitattributes.js";
import { gitDirFor } from "./repo-ref.js";

/** What `createRepository` needs to know. */
export interface NewRepository {
  type: RepoType;
  namespace: string;
  name: string;
  ownerId: number;
  private: boolean;
  /** User name recorded as the author of the initial commit. */
  author: string;
}

/**
 * Creates a repository: a bare git repository whose `main` holds the initial `.gitattributes` (as on
 * the Hub), then its database row. The caller has checked that the name is free. On failure the
 * folder is removed, so no half-created repository remains.
 */
export async function createRepository(ctx: HubContext, repo: NewRepository): Promise<void> {
  const gitDir = gitDirFor(ctx, repo.type, repo.namespace, repo.name);
  // A folder without a database row is a leftover of a crash: start afresh.
  await removeRepoDir(gitDir);
  ctx.branches.forgetRepo(gitDir);
  ctx.refs.close(gitDir);
  try {
    await initBareRepo(gitDir);
    const content = Buffer.from(INITIAL_GITATTRIBUTES);
    const oid = await writeLooseObject(gitDir, "blob", content);
    const sha256 = createHash("sha256").update(content).digest("hex");
    await ctx.db
      .insertInto("blobs")
      .values({ git_oid: oid, sha256, size: content.length, lfs: 0 })
      .onConflict((oc) => oc.column("git_oid").doNothing())
      .execute();
    await writeCommit({
      gitDir,
      ref: "refs/heads/main",
      parent: undefined,
      files: new Map([[".gitattributes", { mode: "100644", oid }]]),
      message: "initial commit",
      author: { name: repo.author, email: `${repo.author}@users.noreply.modelgate` },
      signer: ctx.signer,
      refs: ctx.refs,
    });
    await ctx.db
      .insertInto("repos")
      .values({
        type: repo.type,
        namespace: repo.namespace,
        name: repo.name,
        owner_id: repo.ownerId,
        private: repo.private ? 1 : 0,
        created_at: new Date().toISOString(),
      })
      .execute();
    await ctx.scans.enqueue({
      key: scanKeyOf(sha256, ".gitattributes"),
      size: content.length,
      source: { git: gitDir, oid },
      name: ".gitattributes",
    });
  } catch (err) {
    await removeRepoDir(gitDir);
    throw err;
  }
}
