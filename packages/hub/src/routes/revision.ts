import type { HubContext } from "../context.js";
import { listTree, resolveRevision, type TreeEntry } from "../git/git-repo.js";
import { entryNotFound, HubError, revisionNotFound } from "../hub-error.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import { assertRepoPath, isValidRevision } from "../names.js";
import { type FileFacts, fileFacts } from "../repos/file-facts.js";
import type { RepoRef } from "../repos/repo-ref.js";

/**
 * Segments of a path tried as part of an unencoded revision (`tree/feature/x/...`): each try costs
 * a git lookup, so a long path cannot make one request spawn git without end (CWE-400).
 */
export const MAX_REVISION_SEGMENTS = HUB_FIXED_LIMITS.maxRevisionSegments;

/** Resolves a revision of a repo to a commit id, or throws 404 `RevisionNotFound`. */
export async function commitOf(repo: RepoRef, rev: string): Promise<string> {
  if (!isValidRevision(rev))
    throw new HubError(400, "InvalidInput", `invalid revision: ${rev.slice(0, 100)}`);
  const commit = await resolveRevision(repo.gitDir, rev);
  if (!commit) throw revisionNotFound(rev);
  return commit;
}

/**
 * Splits `{rev}/{rest}` of a route into a commit and a path. Clients should encode `/` in a
 * revision (`feature%2Fx`, `refs%2Fpr%2F1`), but the JS client's `listFiles` does not, and the Hub
 * accepts `resolve/refs/pr/1/file` too: when `rev` alone names nothing, the shortest `rev/...`
 * prefix that names a branch, tag or PR ref is the revision. `rest` may end up empty only when
 * `emptyPath` allows it (a tree listing of the root).
 */
export async function commitAndPath(
  repo: RepoRef,
  rev: string,
  rest: string,
  emptyPath: boolean,
): Promise<{ commit: string; path: string }> {
  const direct = isValidRevision(rev) ? await resolveRevision(repo.gitDir, rev) : undefined;
  if (direct) return { commit: direct, path: rest };
  const segments = rest.split("/");
  const most = Math.min(MAX_REVISION_SEGMENTS, emptyPath ? segments.length : segments.length - 1);
  for (let i = 1; i <= most; i++) {
    const candidate = [rev, ...segments.slice(0, i)].join("/");
    if (!isValidRevision(candidate)) break;
    const commit = await resolveRevision(repo.gitDir, candidate);
    if (commit) return { commit, path: segments.slice(i).join("/") };
  }
  return { commit: await commitOf(repo, rev), path: rest };
}

/** A file of a repository at a revision, with what the hub knows of its bytes. */
export interface FileAtRevision {
  commit: string;
  path: string;
  entry: TreeEntry;
  facts: FileFacts | undefined;
}

/**
 * The file at `{rev}/{rest}` of a route (a revision split off as `commitAndPath` does), or 404
 * `EntryNotFound` when that path is not a file there.
 */
export async function fileAtRevision(
  ctx: HubContext,
  repo: RepoRef,
  rev: string,
  rest: string,
): Promise<FileAtRevision> {
  const target = await commitAndPath(repo, rev, rest, false);
  const path = assertRepoPath(target.path, ctx.limits);
  const [entry] = await listTree(repo.gitDir, target.commit, { path });
  if (entry?.type !== "blob") throw entryNotFound(path);
  const [facts] = await fileFacts(ctx, [entry]);
  return { commit: target.commit, path, entry, facts };
}
