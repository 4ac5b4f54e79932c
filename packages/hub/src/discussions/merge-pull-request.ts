import type { Caller } from "../auth/accounts.js";
import { blockedUnderPolicy } from "../commit/enforce-block-policy.js";
import { assertNoFileFolderClash } from "../commit/file-folder-clash.js";
import type { HubContext } from "../context.js";
import { writeCommit } from "../git/write-commit.js";
import { badInput, HubError } from "../hub-error.js";
import { identityOf } from "../repos/manage-refs.js";
import { repoLocks } from "../repos/repo-locks.js";
import type { RepoRef } from "../repos/repo-ref.js";
import { isQuarantined } from "../scan/security-status.js";
import type { Discussion } from "./discussion-store.js";
import {
  conflictsOf,
  filesAt,
  type PrFile,
  type PrState,
  prFiles,
  prState,
  treeFiles,
} from "./pull-request-changes.js";

/**
 * Merges an open pull request into its target branch with a merge commit (parents: the target's
 * head, then the pull request's head). A file changed on both sides since the pull request
 * started, differently, is a conflict (409, `filesWithConflicts`). Under the `block` policy the
 * pull request's files must have been scanned safe (pending scans are awaited); under quarantine
 * none may be held. Returns the merge commit.
 */
export async function mergePullRequest(
  ctx: HubContext,
  repo: RepoRef,
  discussion: Discussion,
  caller: Caller,
): Promise<string> {
  if (!discussion.isPullRequest) throw badInput(`#${discussion.num} is a discussion, not a pull request`);
  if (discussion.status !== "open") {
    throw new HubError(409, "Conflict", `pull request #${discussion.num} is ${discussion.status}, not open`);
  }
  // Scans may take a while: they are awaited outside the lock, and the merge checks that the pull
  // request has not moved since.
  const checked = await prState(repo, discussion);
  await assertPolicyAllows(ctx, repo, checked);
  return repoLocks.run(repo.gitDir, async () => {
    const state = await prState(repo, discussion);
    if (state.prHead !== checked.prHead) {
      throw new HubError(409, "Conflict", `pull request #${discussion.num} changed during the merge; retry`);
    }
    const { conflicts, changes } = await conflictsOf(repo, state);
    if (conflicts.length > 0) {
      throw new HubError(
        409,
        "Conflict",
        `pull request #${discussion.num} conflicts with ${discussion.targetBranch ?? "main"}: ${conflicts.slice(0, 20).join(", ")}`,
        { filesWithConflicts: conflicts },
      );
    }
    const merged = treeFiles(await filesAt(repo.gitDir, state.targetHead));
    for (const c of changes) {
      if (c.entry) merged.set(c.path, { mode: c.entry.mode, oid: c.entry.oid });
      else merged.delete(c.path);
    }
    assertNoFileFolderClash(merged);
    const oid = await writeCommit({
      gitDir: repo.gitDir,
      ref: state.targetRef,
      parent: state.targetHead,
      mergeParent: state.prHead,
      files: merged,
      message: `Merge pull request #${discussion.num}: ${discussion.title}`,
      author: identityOf(caller),
      signer: ctx.signer,
      refs: ctx.refs,
    });
    ctx.branches.forget(repo.gitDir, state.targetRef);
    return oid;
  });
}

/** Refuses a merge that would put a file the repository's policy holds back on the target branch. */
async function assertPolicyAllows(ctx: HubContext, repo: RepoRef, state: PrState): Promise<void> {
  if (repo.policy !== "block" && !repo.quarantine) return;
  let files = await prFiles(ctx, repo, state);
  const pending = files.filter((f) => f.status === "queued" || f.status === "scanning");
  if (pending.length > 0) {
    await Promise.all(pending.map((f) => (f.scanKey ? ctx.scans.settled(f.scanKey) : undefined)));
    files = await prFiles(ctx, repo, state);
  }
  const present = files.filter((f): f is PrFile & { status: NonNullable<PrFile["status"]> } => !!f.status);
  const list = (refused: typeof present) => refused.map((f) => `${f.path} (${f.status})`).join(", ");
  if (repo.policy === "block") {
    const refused = present.filter((f) => blockedUnderPolicy(f.status));
    if (refused.length > 0) {
      throw new HubError(
        403,
        "BlockedByPolicy",
        `merge refused by the hub's block policy: ${list(refused)}`,
        {
          files: refused.map((f) => ({ path: f.path, status: f.status })),
        },
      );
    }
  }
  if (repo.quarantine) {
    const held = present.filter((f) => isQuarantined(f.status));
    if (held.length > 0) {
      throw new HubError(403, "FileQuarantined", `merge refused: quarantined files ${list(held)}`, {
        files: held.map((f) => ({ path: f.path, status: f.status })),
      });
    }
  }
}
