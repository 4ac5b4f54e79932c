import type { HubContext } from "../context.js";
import { runGit } from "../git/run-git.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import { branchMatches, branchRulesFor, matchingRule } from "../repos/branch-rules.js";
import type { RepoRef } from "../repos/repo-ref.js";
import { hubSignerOf } from "./hub-signer.js";
import { verifyCommits } from "./verify-commit.js";

/** Commits checked per pushed branch; a longer new history is refused, to be pushed in parts (CWE-770). */
export const MAX_CHECKED_COMMITS_PER_PUSH = HUB_FIXED_LIMITS.maxCheckedCommitsPerPush;

/** One ref a push moves. */
export interface RefUpdate {
  old: string;
  next: string;
  ref: string;
}

const ZERO = /^0{40}$/;

/**
 * The pre-receive part of signed-branch rules: every commit a push adds to a branch that requires
 * verified signatures (the repository's patterns and its organisation's) must be Verified. Commits
 * are read from git's quarantine (`env`). Returns `remote:` lines naming each commit that is not, with
 * the reason; an empty list lets the push through.
 */
export async function checkSignedPush(
  ctx: HubContext,
  repo: RepoRef,
  updates: RefUpdate[],
  env: Record<string, string>,
): Promise<string[]> {
  const patterns = await branchRulesFor(ctx.db, "signed-commits", repo);
  if (patterns.length === 0) return [];
  const problems: string[] = [];
  for (const { old, next, ref } of updates) {
    if (!ref.startsWith("refs/heads/") || ZERO.test(next)) continue;
    const branch = ref.slice("refs/heads/".length);
    const rule = matchingRule(patterns, branch);
    if (rule === undefined) continue;
    // Commits the branch gains: past its old tip, or (a new branch) past every protected branch's tip.
    const known = ZERO.test(old) ? await protectedTips(repo.gitDir, patterns, env) : [old];
    const added = (
      await runGit(
        repo.gitDir,
        [
          "rev-list",
          `--max-count=${MAX_CHECKED_COMMITS_PER_PUSH + 1}`,
          next,
          ...(known.length ? ["--not", ...known] : []),
        ],
        { env },
      )
    )
      .toString("utf8")
      .split("\n")
      .filter((l) => l !== "");
    const refused: string[] = [];
    if (added.length > MAX_CHECKED_COMMITS_PER_PUSH) {
      refused.push(`  more than ${MAX_CHECKED_COMMITS_PER_PUSH} new commits to check; push them in parts`);
    } else {
      const verdicts = await verifyCommits(ctx.db, repo.gitDir, added, { env, hub: hubSignerOf(ctx) });
      verdicts.forEach((v, i) => {
        if (!v.verified) refused.push(`  commit ${added[i]?.slice(0, 12)} is ${v.status}: ${v.message}`);
      });
    }
    if (refused.length > 0) {
      problems.push(
        `modelgate: push refused: branch ${branch} requires verified signatures (rule "${rule}"):`,
        ...refused,
      );
    }
  }
  return problems;
}

/** Tips of the existing branches the patterns protect. */
async function protectedTips(
  gitDir: string,
  patterns: string[],
  env: Record<string, string>,
): Promise<string[]> {
  const out = await runGit(gitDir, ["for-each-ref", "--format=%(objectname) %(refname)", "refs/heads/"], {
    env,
  });
  return out
    .toString("utf8")
    .split("\n")
    .flatMap((line) => {
      const [oid, ref] = line.split(" ");
      if (!oid || !ref) return [];
      const branch = ref.slice("refs/heads/".length);
      return patterns.some((p) => branchMatches(p, branch)) ? [oid] : [];
    });
}
