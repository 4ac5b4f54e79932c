import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { ZERO_OID } from "./git-repo.js";
import { runGit } from "./run-git.js";

/** A file of the new commit's tree: its mode and blob id. */
export interface IndexEntry {
  mode: string;
  oid: string;
}

export interface WriteCommitInput {
  gitDir: string;
  /** Folder for the temporary index file (same file system as nothing else needs it). */
  tmpDir: string;
  branch: string;
  /** The branch's current commit, or undefined to create the branch. */
  parent: string | undefined;
  /** The complete file list of the new commit. Blobs must already be written. */
  files: ReadonlyMap<string, IndexEntry>;
  message: string;
  author: { name: string; email: string };
}

/**
 * Writes a commit atomically: builds its tree in a private index file, creates the commit object,
 * then moves the branch with `git update-ref` only if it still points at `parent`. Until that last
 * step nothing is visible; if the branch moved meanwhile, git refuses and nothing changes.
 * Returns the new commit id. Throws `GitError` when git refuses.
 */
export async function writeCommit(input: WriteCommitInput): Promise<string> {
  const indexFile = join(input.tmpDir, `index-${randomUUID()}`);
  const env = {
    GIT_INDEX_FILE: indexFile,
    GIT_AUTHOR_NAME: input.author.name,
    GIT_AUTHOR_EMAIL: input.author.email,
    GIT_COMMITTER_NAME: input.author.name,
    GIT_COMMITTER_EMAIL: input.author.email,
  };
  try {
    const lines: string[] = [];
    for (const [path, entry] of input.files) lines.push(`${entry.mode} ${entry.oid}\t${path}\0`);
    await runGit(input.gitDir, ["update-index", "-z", "--index-info"], { input: lines.join(""), env });
    const tree = (await runGit(input.gitDir, ["write-tree"], { env })).toString("utf8").trim();
    const args = ["commit-tree", tree];
    if (input.parent) args.push("-p", input.parent);
    args.push("-F", "-");
    const commit = (await runGit(input.gitDir, args, { input: input.message, env })).toString("utf8").trim();
    await runGit(input.gitDir, [
      "update-ref",
      "-m",
      "modelgate commit",
      `refs/heads/${input.branch}`,
      commit,
      input.parent ?? ZERO_OID,
    ]);
    return commit;
  } finally {
    await rm(indexFile, { force: true });
    await rm(`${indexFile}.lock`, { force: true });
  }
}
