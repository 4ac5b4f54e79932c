import type { Caller } from "../auth/accounts.js";
import { readBranch } from "../commit/apply-commit.js";
import type { HubContext } from "../context.js";
import { branchHead, resolveRevision, ZERO_OID } from "../git/git-repo.js";
import { type GitRef, listRefs } from "../git/list-refs.js";
import { tagContent, writeLooseObject } from "../git/loose-objects.js";
import { withOnBehalfOf, writeCommit } from "../git/write-commit.js";
import { badInput, HubError, revisionNotFound } from "../hub-error.js";
import { isValidRefName, isValidRevision, writableRef } from "../names.js";
import { signTagContent } from "../signing/sign-git-object.js";
import { assertKeepsHistory } from "./history-guard.js";
import { repoLocks } from "./repo-locks.js";
import type { RepoRef } from "./repo-ref.js";

/** The branch every repository starts with; it cannot be deleted. */
export const DEFAULT_BRANCH = "main";

/** How a new branch starts: from a revision (default: the default branch) or empty. */
export interface NewBranch {
  name: string;
  startingPoint?: string | undefined;
  empty?: boolean | undefined;
  /** Move an existing branch to `startingPoint` instead of answering 409. */
  overwrite?: boolean | undefined;
}

/** The author/tagger the hub records for a caller. */
export const identityOf = (caller: Caller) => ({
  name: caller.name,
  email: `${caller.name}@users.noreply.modelgate`,
});

/**
 * Creates a branch at `startingPoint` (a branch, tag, PR ref or commit id; default `main`), or as a
 * root commit with no files when `empty`. 409 `Conflict` when it exists, unless `overwrite`.
 */
export async function createBranch(
  ctx: HubContext,
  repo: RepoRef,
  caller: Caller,
  branch: NewBranch,
): Promise<string> {
  assertRefName(branch.name, "branch");
  const ref = `refs/heads/${branch.name}`;
  return repoLocks.run(repo.gitDir, async () => {
    const existing = await branchHead(repo.gitDir, ref);
    if (existing && !branch.overwrite) {
      throw new HubError(409, "Conflict", `Reference already exists: ${ref}`);
    }
    // Overwriting without saying where to is a no-op, as the JS client documents.
    if (existing && branch.startingPoint === undefined && !branch.empty) return existing;
    if (!existing) await assertRoomForRef(ctx, repo, branch.name, "branch");
    const expected = existing ?? ZERO_OID;
    if (branch.empty) {
      // A new root commit: it never contains an existing branch's history.
      if (existing) await assertKeepsHistory(ctx, repo, branch.name, existing, "new-root");
      ctx.branches.forget(repo.gitDir, ref);
      return writeCommit({
        gitDir: repo.gitDir,
        ref,
        parent: undefined,
        expected,
        files: new Map(),
        message: `Create empty branch ${branch.name}`,
        author: identityOf(caller),
        signer: ctx.signer,
        refs: ctx.refs,
      });
    }
    const target = await commitAt(repo, branch.startingPoint ?? DEFAULT_BRANCH);
    if (existing) await assertKeepsHistory(ctx, repo, branch.name, existing, target);
    ctx.branches.forget(repo.gitDir, ref);
    await ctx.refs.update(repo.gitDir, ref, target, expected);
    return target;
  });
}

/** Deletes a branch (404 when absent; the default branch cannot be deleted). */
export async function deleteBranch(ctx: HubContext, repo: RepoRef, name: string): Promise<void> {
  assertRefName(name, "branch");
  if (name === DEFAULT_BRANCH) throw new HubError(403, "Forbidden", "the default branch cannot be deleted");
  await deleteRef(ctx, repo, `refs/heads/${name}`, name, (current) =>
    assertKeepsHistory(ctx, repo, name, current, "delete"),
  );
}

/**
 * Tags `revision` (default `main`): an annotated tag when a message is given, else a lightweight
 * one. 409 `Conflict` when the tag exists.
 */
export async function createTag(
  ctx: HubContext,
  repo: RepoRef,
  caller: Caller,
  tag: { name: string; revision: string; message?: string | undefined },
): Promise<string> {
  assertRefName(tag.name, "tag");
  const ref = `refs/tags/${tag.name}`;
  return repoLocks.run(repo.gitDir, async () => {
    if (await resolveRevision(repo.gitDir, ref)) {
      throw new HubError(409, "Conflict", `Reference already exists: ${ref}`);
    }
    await assertRoomForRef(ctx, repo, tag.name, "tag");
    const commit = await commitAt(repo, tag.revision);
    let target = commit;
    if (tag.message) {
      // Signed by the hub as its commits are: the hub is the tagger, on behalf of the caller.
      const content = tagContent({
        commit,
        name: tag.name,
        tagger: ctx.signer.identity,
        message: withOnBehalfOf(tag.message, identityOf(caller)),
      });
      target = await writeLooseObject(repo.gitDir, "tag", await signTagContent(content, ctx.signer));
    }
    await ctx.refs.update(repo.gitDir, ref, target, ZERO_OID);
    return commit;
  });
}

/** Deletes a tag (404 when absent). */
export async function deleteTag(ctx: HubContext, repo: RepoRef, name: string): Promise<void> {
  assertRefName(name, "tag");
  await deleteRef(ctx, repo, `refs/tags/${name}`, name);
}

async function deleteRef(
  ctx: HubContext,
  repo: RepoRef,
  ref: string,
  name: string,
  check?: (current: string) => Promise<void>,
): Promise<void> {
  await repoLocks.run(repo.gitDir, async () => {
    const current = await currentValue(repo, ref);
    if (!current) throw revisionNotFound(name);
    await check?.(current);
    ctx.branches.forget(repo.gitDir, ref);
    await ctx.refs.delete(repo.gitDir, ref, current);
  });
}

/** The object a ref points at (a tag object for annotated tags), or undefined. */
async function currentValue(repo: RepoRef, ref: string): Promise<string | undefined> {
  const refs = await listRefs(repo.gitDir, ["branch", "tag"]);
  const found = refs.find((r) => r.ref === ref);
  return found ? found.object : undefined;
}

/** The commit a revision names, or 404 `RevisionNotFound`. */
async function commitAt(repo: RepoRef, revision: string): Promise<string> {
  if (!isValidRevision(revision)) throw badInput(`invalid revision: ${revision.slice(0, 100)}`);
  const commit = await resolveRevision(repo.gitDir, revision);
  if (!commit) throw revisionNotFound(revision);
  return commit;
}

function assertRefName(name: string, what: "branch" | "tag"): void {
  if (!isValidRefName(name)) {
    throw badInput(
      `invalid ${what} name "${name.slice(0, 100)}": letters, digits, '.', '_', '-' and '/' only, no '..', no segment starting with '.' or ending in '.lock', not HEAD, a commit id or a name starting with refs/`,
    );
  }
}

/** A branch and a tag of the same name would make downloads by that name ambiguous; refs are bounded. */
async function assertRoomForRef(
  ctx: HubContext,
  repo: RepoRef,
  name: string,
  kind: "branch" | "tag",
): Promise<void> {
  const refs: GitRef[] = await listRefs(repo.gitDir, ["branch", "tag", "pr"]);
  const other = kind === "branch" ? "tag" : "branch";
  if (refs.some((r) => r.kind === other && r.name === name)) {
    throw badInput(
      `a ${other} named ${name} exists; a ${kind} of the same name would make ${name} ambiguous`,
    );
  }
  assertRefCapacity(ctx, refs.length);
}

/** Refuses a new ref (branch, tag, pull request) once a repository has `maxRefsPerRepo` (CWE-770). */
export function assertRefCapacity(ctx: HubContext, count: number): void {
  if (count >= ctx.limits.maxRefsPerRepo) {
    throw badInput(
      `this repository has ${count} refs, the most the hub allows (${ctx.limits.maxRefsPerRepo})`,
    );
  }
}

/**
 * Squashes a branch's history into one root commit with the same files (`super_squash_history`).
 * Only branches can be squashed (400 for tags and commits); 404 when the branch does not exist.
 */
export async function squashBranch(
  ctx: HubContext,
  repo: RepoRef,
  caller: Caller,
  branch: string,
  message: string,
): Promise<string> {
  const ref = writableRef(branch);
  if (!ref?.startsWith("refs/heads/"))
    throw badInput(`only branches can be squashed, not ${branch.slice(0, 100)}`);
  return repoLocks.run(repo.gitDir, async () => {
    if (
      !(await branchHead(repo.gitDir, ref)) &&
      (await resolveRevision(repo.gitDir, `refs/tags/${branch}`))
    ) {
      throw badInput(`${branch} is a tag: only branches can be squashed`);
    }
    const state = await readBranch(repo.gitDir, ref, branch);
    // A squash replaces the branch's history with one new root commit.
    await assertKeepsHistory(ctx, repo, ref.slice("refs/heads/".length), state.head, "new-root");
    ctx.branches.forget(repo.gitDir, ref);
    return writeCommit({
      gitDir: repo.gitDir,
      ref,
      parent: undefined,
      expected: state.head,
      files: state.files,
      message,
      author: identityOf(caller),
      signer: ctx.signer,
      refs: ctx.refs,
    });
  });
}
