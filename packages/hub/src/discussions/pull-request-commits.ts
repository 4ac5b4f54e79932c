import type { Caller } from "../auth/accounts.js";
import { applyCommit } from "../commit/apply-commit.js";
import type { ParsedCommit } from "../commit/parse-commit.js";
import type { HubContext } from "../context.js";
import { branchHead, resolveRevision, ZERO_OID } from "../git/git-repo.js";
import { listRefs } from "../git/list-refs.js";
import { badInput, HubError, revisionNotFound } from "../hub-error.js";
import { writableRef } from "../names.js";
import { assertRefCapacity } from "../repos/manage-refs.js";
import { repoLocks } from "../repos/repo-locks.js";
import type { RepoRef } from "../repos/repo-ref.js";
import {
  addComment,
  addEvent,
  type Discussion,
  findDiscussion,
  insertDiscussion,
  prRef,
  removeDiscussion,
  setStatus,
} from "./discussion-store.js";

/** The number of a pull-request ref (`refs/pr/3` -> 3), or undefined. */
export function prNumberOf(rev: string): number | undefined {
  const match = /^refs\/pr\/([1-9][0-9]{0,8})$/.exec(rev);
  return match ? Number(match[1]) : undefined;
}

/** The Python client's text for a pull request opened without a description. */
const NO_DESCRIPTION = "Pull request opened by commit";

/**
 * Opens a pull request against branch `target` and returns it: a `refs/pr/N` ref at `start`
 * (default: the branch's head), the description as its first comment. `draft` when it has no
 * commit yet (`create_pull_request`), as on the Hub.
 */
export async function openPullRequest(
  ctx: HubContext,
  repo: RepoRef,
  caller: Caller,
  pr: { target: string; title: string; description: string; start?: string | undefined; draft: boolean },
): Promise<Discussion> {
  const ref = writableRef(pr.target);
  if (!ref?.startsWith("refs/heads/"))
    throw badInput(`pull requests target a branch, not ${pr.target.slice(0, 100)}`);
  const target = ref.slice("refs/heads/".length);
  const start = pr.start ?? (await branchHead(repo.gitDir, ref));
  if (!start || !(await resolveRevision(repo.gitDir, start))) throw revisionNotFound(pr.start ?? target);
  assertRefCapacity(ctx, (await listRefs(repo.gitDir, ["branch", "tag", "pr"])).length);
  const discussion = await insertDiscussion(ctx, repo, {
    title: pr.title,
    authorId: caller.id,
    isPullRequest: true,
    status: pr.draft ? "draft" : "open",
    target,
  });
  try {
    await addComment(ctx, discussion, caller, pr.description || NO_DESCRIPTION);
    await repoLocks.run(repo.gitDir, () =>
      ctx.refs.update(repo.gitDir, prRef(discussion.num), start, ZERO_OID),
    );
  } catch (err) {
    await removeDiscussion(ctx, discussion);
    throw err;
  }
  return discussion;
}

/**
 * `commit/{branch}?create_pr=1`: opens a pull request against `branch` from `parentCommit` (or
 * the branch's head) and commits to it. The commit is checked and scanned like any push; if it
 * is refused (block policy, bad input), no pull request remains.
 */
export async function commitAsPullRequest(
  ctx: HubContext,
  repo: RepoRef,
  target: string,
  caller: Caller,
  commit: ParsedCommit,
): Promise<{ discussion: Discussion; oid: string }> {
  const discussion = await openPullRequest(ctx, repo, caller, {
    target,
    title: commit.summary,
    description: commit.description,
    start: commit.parentCommit,
    draft: false,
  });
  let oid: string;
  try {
    oid = await applyCommit(ctx, repo, prRef(discussion.num), caller, commit);
  } catch (err) {
    await removePullRequest(ctx, repo, discussion);
    throw err;
  }
  await addEvent(ctx, discussion, "commit", caller, { subject: commit.summary, oid });
  return { discussion, oid };
}

/**
 * A commit to `refs/pr/N`: by its author or a writer of the repository, while it is open or a
 * draft (a draft's first commit opens it).
 */
export async function commitToPullRequest(
  ctx: HubContext,
  repo: RepoRef,
  num: number,
  caller: Caller,
  commit: ParsedCommit,
): Promise<string> {
  const discussion = await findDiscussion(ctx, repo.id, num);
  if (!discussion.isPullRequest) throw revisionNotFound(prRef(num));
  if (discussion.authorId !== caller.id && !repo.canWrite) {
    throw new HubError(
      403,
      "Forbidden",
      `only the author of #${num} or a writer of ${repo.fullName} can push to it`,
    );
  }
  if (discussion.status !== "open" && discussion.status !== "draft") {
    throw new HubError(403, "Forbidden", `pull request #${num} is ${discussion.status}`);
  }
  const oid = await applyCommit(ctx, repo, prRef(num), caller, commit);
  await addEvent(ctx, discussion, "commit", caller, { subject: commit.summary, oid });
  if (discussion.status === "draft") await setStatus(ctx, discussion, "open");
  return oid;
}

async function removePullRequest(ctx: HubContext, repo: RepoRef, discussion: Discussion): Promise<void> {
  await repoLocks.run(repo.gitDir, async () => {
    const head = await branchHead(repo.gitDir, prRef(discussion.num));
    if (head) await ctx.refs.delete(repo.gitDir, prRef(discussion.num), head);
  });
  await removeDiscussion(ctx, discussion);
}
