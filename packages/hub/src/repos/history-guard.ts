import type { HubContext } from "../context.js";
import { GitError, runGit } from "../git/run-git.js";
import { HubError } from "../hub-error.js";
import { branchRulesFor, matchingRule } from "./branch-rules.js";
import type { RepoRef } from "./repo-ref.js";

const ZERO = /^0{40}$/;

/** One branch move: from `old` to `next` (all zeros: the branch is created, or deleted; `new-root`: to a new root commit not yet written). */
export interface BranchMove {
  branch: string;
  old: string;
  next: string | "new-root";
}

/** A move the `no-force-push` rule refuses: which branch, which rule pattern, and what the move does. */
export interface HistoryRewrite {
  branch: string;
  rule: string;
  does: "deletes" | "rewrites";
}

/**
 * The moves among `moves` that a `no-force-push` rule (the repository's or its organisation's)
 * forbids: deleting a covered branch, or moving it to a commit that does not contain its old tip
 * (a force push, a reset, a squash). Creating a branch and fast-forwarding it are always allowed.
 * `env` points git at a push's quarantine, where the new commits wait.
 */
export async function historyRewrites(
  ctx: HubContext,
  repo: RepoRef,
  moves: readonly BranchMove[],
  env: Record<string, string> = {},
): Promise<HistoryRewrite[]> {
  const patterns = await branchRulesFor(ctx.db, "no-force-push", repo);
  if (patterns.length === 0) return [];
  const found: HistoryRewrite[] = [];
  for (const { branch, old, next } of moves) {
    const rule = matchingRule(patterns, branch);
    if (rule === undefined || ZERO.test(old) || old === next) continue;
    if (ZERO.test(next)) found.push({ branch, rule, does: "deletes" });
    else if (next === "new-root" || !(await isAncestor(repo.gitDir, old, next, env)))
      found.push({ branch, rule, does: "rewrites" });
  }
  return found;
}

/** The `remote:` line a refused push shows for one rewrite. */
export function rewriteMessage(r: HistoryRewrite): string {
  const what =
    r.does === "deletes"
      ? "deleting it is refused"
      : "this update is not a fast-forward (force push); pull, merge or rebase onto it, then push";
  return `modelgate: push refused: branch ${r.branch} does not allow force pushes (rule "${r.rule}"): ${what}`;
}

/**
 * For the HTTP API (branch overwrite, deletion, super-squash): throws 403 `Forbidden` when moving
 * `branch` from `old` to `next` (`delete`, or a new root commit) would rewrite history on a branch
 * under a `no-force-push` rule.
 */
export async function assertKeepsHistory(
  ctx: HubContext,
  repo: RepoRef,
  branch: string,
  old: string,
  next: string | "delete" | "new-root",
): Promise<void> {
  const move = { branch, old, next: next === "delete" ? "0".repeat(40) : next };
  const [rewrite] = await historyRewrites(ctx, repo, [move]);
  if (rewrite === undefined) return;
  const what = rewrite.does === "deletes" ? "deleted" : "rewritten";
  throw new HubError(
    403,
    "Forbidden",
    `branch ${branch} cannot be ${what}: the no-force-push rule "${rewrite.rule}" covers it (only fast-forwards are allowed)`,
  );
}

/** Whether commit `ancestor` is reachable from `descendant` (`git merge-base --is-ancestor`). */
async function isAncestor(
  gitDir: string,
  ancestor: string,
  descendant: string,
  env: Record<string, string>,
): Promise<boolean> {
  try {
    await runGit(gitDir, ["merge-base", "--is-ancestor", ancestor, descendant], { env });
    return true;
  } catch (err) {
    // Exit 1 means "not an ancestor"; anything else (the new tip is not a commit) cannot be shown to
    // keep the old history either, so the rule refuses it (fail closed).
    if (err instanceof GitError) return false;
    throw err;
  }
}
