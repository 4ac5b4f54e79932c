import { resolveRevision } from "../git/git-repo.js";
import { HubError, revisionNotFound } from "../hub-error.js";
import { isValidRevision } from "../names.js";
import type { RepoRef } from "../repos/repo-ref.js";

/** Resolves a revision of a repo to a commit id, or throws 404 `RevisionNotFound`. */
export async function commitOf(repo: RepoRef, rev: string): Promise<string> {
  if (!isValidRevision(rev))
    throw new HubError(400, "InvalidInput", `invalid revision: ${rev.slice(0, 100)}`);
  const commit = await resolveRevision(repo.gitDir, rev);
  if (!commit) throw revisionNotFound(rev);
  return commit;
}
