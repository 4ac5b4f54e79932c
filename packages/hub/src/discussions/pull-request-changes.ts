import type { HubContext } from "../context.js";
import { mergeBase } from "../git/git-log.js";
import { branchHead, listTree, type TreeEntry } from "../git/git-repo.js";
import type { TreeFile } from "../git/loose-objects.js";
import { revisionNotFound } from "../hub-error.js";
import { fileFacts, visibleSize } from "../repos/file-facts.js";
import type { RepoRef } from "../repos/repo-ref.js";
import { scanKeyOf } from "../scan/scan-key.js";
import { type FileStatus, fileStatusOf } from "../scan/security-status.js";
import { type Discussion, prRef } from "./discussion-store.js";

/** A file a pull request adds, changes or deletes, compared with where it started. */
export interface PrChange {
  path: string;
  kind: "added" | "modified" | "deleted";
  /** The file in the pull request (undefined when deleted). */
  entry: TreeEntry | undefined;
}

/** Where a pull request stands: its head, the target's head and their common ancestor. */
export interface PrState {
  targetRef: string;
  targetHead: string;
  prHead: string;
  /** The common ancestor (undefined for unrelated histories: everything counts as added). */
  base: string | undefined;
}

/** Reads the heads of a pull request and of its target branch. */
export async function prState(repo: RepoRef, discussion: Discussion): Promise<PrState> {
  const target = discussion.targetBranch ?? "main";
  const targetRef = `refs/heads/${target}`;
  const targetHead = await branchHead(repo.gitDir, targetRef);
  if (!targetHead) throw revisionNotFound(target);
  const prHead = await branchHead(repo.gitDir, prRef(discussion.num));
  if (!prHead) throw revisionNotFound(prRef(discussion.num));
  // A merged pull request is compared with where the target stood before its merge commit.
  const before = discussion.mergeCommit ? `${discussion.mergeCommit}^1` : targetHead;
  return { targetRef, targetHead, prHead, base: await mergeBase(repo.gitDir, before, prHead) };
}

/** Every file of a commit by path (folders left out). */
export async function filesAt(gitDir: string, commit: string | undefined): Promise<Map<string, TreeEntry>> {
  const files = new Map<string, TreeEntry>();
  if (!commit) return files;
  for (const e of await listTree(gitDir, commit, { recursive: true }))
    if (e.type !== "tree") files.set(e.path, e);
  return files;
}

/** The files a pull request changes since it left its target branch, sorted by path. */
export function changesBetween(
  base: ReadonlyMap<string, TreeEntry>,
  head: ReadonlyMap<string, TreeEntry>,
): PrChange[] {
  const changes: PrChange[] = [];
  for (const [path, entry] of head) {
    const before = base.get(path);
    if (!before) changes.push({ path, kind: "added", entry });
    else if (before.oid !== entry.oid || before.mode !== entry.mode)
      changes.push({ path, kind: "modified", entry });
  }
  for (const path of base.keys())
    if (!head.has(path)) changes.push({ path, kind: "deleted", entry: undefined });
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The files a pull request and its target branch both changed, differently, since the pull
 * request started: merging would have to pick one, so the merge is refused.
 */
export async function conflictsOf(
  repo: RepoRef,
  state: PrState,
): Promise<{ conflicts: string[]; changes: PrChange[] }> {
  const base = await filesAt(repo.gitDir, state.base);
  const target = await filesAt(repo.gitDir, state.targetHead);
  const changes = changesBetween(base, await filesAt(repo.gitDir, state.prHead));
  const conflicts = changes
    .filter((c) => {
      const now = target.get(c.path);
      return !same(now, base.get(c.path)) && !same(now, c.entry);
    })
    .map((c) => c.path);
  return { conflicts, changes };
}

/** Same blob and mode, or both absent. */
function same(a: TreeEntry | undefined, b: TreeEntry | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.oid === b.oid && a.mode === b.mode;
}

/** A changed file with its size and scan status, as the pull request page shows it. */
export interface PrFile {
  path: string;
  kind: PrChange["kind"];
  size: number | undefined;
  lfs: boolean;
  status: FileStatus | undefined;
  /** The key of its scan (content hash and path facts), to wait for a pending one. */
  scanKey: string | undefined;
}

/** The changed files of a pull request with their scan statuses. */
export async function prFiles(ctx: HubContext, repo: RepoRef, state: PrState): Promise<PrFile[]> {
  const changes = changesBetween(
    await filesAt(repo.gitDir, state.base),
    await filesAt(repo.gitDir, state.prHead),
  );
  const present = changes.flatMap((c) => (c.entry ? [c.entry] : []));
  const facts = new Map((await fileFacts(ctx, present)).map((f) => [f.entry.path, f]));
  return changes.map((c) => {
    const f = facts.get(c.path);
    return {
      path: c.path,
      kind: c.kind,
      size: f ? visibleSize(f) : undefined,
      lfs: f?.blob?.lfs ?? false,
      status: c.entry ? fileStatusOf(f?.scan) : undefined,
      scanKey: f?.blob ? scanKeyOf(f.blob.sha256, c.path) : undefined,
    };
  });
}

/** Tree files (mode and blob id) of a map of entries, as `writeCommit` takes them. */
export function treeFiles(entries: ReadonlyMap<string, TreeEntry>): Map<string, TreeFile> {
  return new Map([...entries].map(([path, e]) => [path, { mode: e.mode, oid: e.oid }]));
}
