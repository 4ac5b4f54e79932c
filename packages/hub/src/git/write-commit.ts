import { ZERO_OID } from "./git-repo.js";
import { buildCommit, buildTrees, type GitObject, type TreeFile, writeObjects } from "./loose-objects.js";
import type { RefUpdater } from "./ref-updater.js";

/** What `writeCommit` writes and where. */
export interface WriteCommitInput {
  gitDir: string;
  branch: string;
  /** The branch's current commit, or undefined to create the branch. */
  parent: string | undefined;
  /** The complete file list of the new commit. Blobs must already be written. */
  files: ReadonlyMap<string, TreeFile>;
  message: string;
  author: { name: string; email: string };
  refs: RefUpdater;
  /** New blobs of this commit, written together with its trees and commit object. */
  blobs?: readonly GitObject[];
  /** Work that must be done before the branch moves (it runs while the objects are written). */
  ready?: Promise<void>;
}

/**
 * Writes a commit atomically: writes its trees and commit object (invisible until referenced), then
 * moves the branch with a `git update-ref` transaction `<new> <old>`, which git does only if the branch still points
 * at `parent`. If it moved meanwhile, git refuses and nothing changes. Returns the new commit id.
 * Throws `GitError` when git refuses.
 */
export async function writeCommit(input: WriteCommitInput): Promise<string> {
  const trees = buildTrees(input.files);
  const commit = buildCommit({
    tree: trees.root,
    parent: input.parent,
    author: input.author,
    message: input.message,
  });
  await Promise.all([
    writeObjects(input.gitDir, [...(input.blobs ?? []), ...trees.objects, commit]),
    input.ready,
  ]);
  await input.refs.update(input.gitDir, `refs/heads/${input.branch}`, commit.oid, input.parent ?? ZERO_OID);
  return commit.oid;
}
