import { createHash, randomUUID } from "node:crypto";
import { mkdir, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
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
 * the Hub), and its database row. The repository is built in this process's temporary folder and
 * moved into place inside the transaction that inserts its row, once the unique index gave this
 * request the name: another hub process creating the same name at the same moment gets `false`
 * (and its caller a 409), and never removes or overwrites the winner's folder. On failure nothing
 * remains. Returns false when the name was taken meanwhile.
 */
export async function createRepository(ctx: HubContext, repo: NewRepository): Promise<boolean> {
  const gitDir = gitDirFor(ctx, repo.type, repo.namespace, repo.name);
  const building = join(ctx.tmpDir, `new-repo-${randomUUID()}.git`);
  try {
    await initBareRepo(building);
    const content = Buffer.from(INITIAL_GITATTRIBUTES);
    const oid = await writeLooseObject(building, "blob", content);
    const sha256 = createHash("sha256").update(content).digest("hex");
    await writeCommit({
      gitDir: building,
      ref: "refs/heads/main",
      parent: undefined,
      files: new Map([[".gitattributes", { mode: "100644", oid }]]),
      message: "initial commit",
      author: { name: repo.author, email: `${repo.author}@users.noreply.modelgate` },
      signer: ctx.signer,
      refs: ctx.refs,
    });
    ctx.refs.close(building);
    const created = await ctx.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto("repos")
        .values({
          type: repo.type,
          namespace: repo.namespace,
          name: repo.name,
          owner_id: repo.ownerId,
          private: repo.private ? 1 : 0,
          created_at: new Date().toISOString(),
        })
        .onConflict((oc) => oc.columns(["type", "namespace", "name"]).doNothing())
        .returning("id")
        .executeTakeFirst();
      if (!row) return false;
      await trx
        .insertInto("blobs")
        .values({ git_oid: oid, sha256, size: content.length, lfs: 0 })
        .onConflict((oc) => oc.column("git_oid").doNothing())
        .execute();
      // The name is this request's: a folder there without a row is a crash's leftover.
      await removeRepoDir(gitDir);
      ctx.branches.forgetRepo(gitDir);
      ctx.refs.close(gitDir);
      await mkdir(dirname(gitDir), { recursive: true });
      await rename(building, gitDir);
      return true;
    });
    if (!created) return false;
    await ctx.scans.enqueue({
      key: scanKeyOf(sha256, ".gitattributes"),
      size: content.length,
      source: { git: gitDir, oid },
      name: ".gitattributes",
    });
    return true;
  } finally {
    ctx.refs.close(building);
    await removeRepoDir(building);
  }
}
