import { ZERO_OID } from "./git-repo.js";
import { buildCommit, buildTrees, type GitObject, type TreeFile, writeObjects } from "./loose-objects.js";
import type { RefUpdater } from "./ref-updater.js";

/** What `writeCommit` writes and where. */
export interface WriteCommitInput {
  gitDir: string;
  /** The full ref to move (`refs/heads/main`, `refs/pr/1`). */
  ref: string;
  /** The new commit's parent, or undefined for a root commit. */
  parent: string | undefined;
  /** The second parent of a merge commit. */
  mergeParent?: string;
  /** What the ref must point at now (default: `parent`; all zeros: it must not exist). */
  expected?: string;
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
 * moves the ref with a `git update-ref` transaction `<new> <old>`, which git does only if the ref still points
 * at `expected` (default `parent`). If it moved meanwhile, git refuses and nothing changes. Returns the new commit id.
 * Throws `GitError` when git refuses.
 */
export async function writeCommit(input: WriteCommitInput): Promise<string> {
  const trees = buildTrees(input.files);
  const commit = buildCommit({
    tree: trees.root,
    parent: input.parent,
    mergeParent: input.mergeParent,
    author: input.author,
    message: input.message,
  });
  await Promise.all([
    writeObjects(input.gitDir, [...(input.blobs ?? []), ...trees.objects, commit]),
    input.ready,
  ]);
  await input.refs.update(input.gitDir, input.ref, commit.oid, input.expected ?? input.parent ?? ZERO_OID);
  return commit.oid;
}
