import { lfsTrackedPaths } from "../git/lfs-tracked-paths.js";
import { runGit } from "../git/run-git.js";
import { HUB_FIXED_LIMITS } from "../limits.js";

/** New (path, blob) pairs checked per push (CWE-770). */
export const MAX_PUSHED_FILES = HUB_FIXED_LIMITS.maxPushedFiles;

/** One new blob at one path of a pushed commit. */
export interface PushedBlob {
  path: string;
  oid: string;
  /** The `.gitattributes` of a pushed commit holding it there send the path through git-lfs (`filter=lfs`). */
  lfsPath: boolean;
}

/** A commit's blobs, path -> blob id. */
type TreeListing = Map<string, string>;

/**
 * What a push brings, commit by commit (`commits`: each new commit with its parents, parents first,
 * as `git rev-list --reverse --parents` prints them; read from the quarantine through `env`): each blob
 * at each path where it differs from every parent's tree (all paths of a root commit), whether the
 * blob is new to the repository or not (a stored blob moved to a new path is checked at that path),
 * and whether `.gitattributes` sends that path through git-lfs in a commit holding it. Attributes are
 * asked of git once per distinct set of `.gitattributes` files, not once per commit. Returns a message
 * instead when the push holds more than `MAX_PUSHED_FILES` pairs.
 */
export async function pushedBlobs(
  gitDir: string,
  commits: readonly { commit: string; parents: string[] }[],
  tmpDir: string,
  env: Record<string, string>,
): Promise<PushedBlob[] | string> {
  // Attributes depend only on the `.gitattributes` files: commits with the same ones (path@oid) form
  // one group, asked once, with any of its commits as the source and all of its new paths.
  const groups = new Map<string, { commit: string; paths: Set<string> }>();
  const found = new Map<string, { path: string; oid: string; groups: Set<string> }>(); // path NUL oid
  // Parents' listings are kept only until their last child in the push is read.
  const children = new Map<string, number>();
  for (const { parents } of commits) for (const p of parents) children.set(p, (children.get(p) ?? 0) + 1);
  const kept = new Map<string, TreeListing>();
  const listingOf = async (commit: string) => {
    const listing = kept.get(commit) ?? (await listTree(gitDir, commit, env)).blobs;
    kept.set(commit, listing); // a parent outside the push may have several children in it
    return listing;
  };
  for (const { commit, parents } of commits) {
    const { blobs, attributeFiles } = await listTree(gitDir, commit, env);
    const parentTrees: TreeListing[] = [];
    for (const p of parents) parentTrees.push(await listingOf(p));
    if (children.has(commit)) kept.set(commit, blobs);
    for (const p of parents) {
      const left = (children.get(p) ?? 1) - 1;
      children.set(p, left);
      if (left === 0) kept.delete(p);
    }
    const fresh = [...blobs].filter(([path, oid]) => parentTrees.every((t) => t.get(path) !== oid));
    if (fresh.length === 0) continue;
    const key = attributeFiles.join("\0");
    const group = groups.get(key) ?? { commit, paths: new Set<string>() };
    groups.set(key, group);
    for (const [path, oid] of fresh) {
      if (key !== "") group.paths.add(path);
      const id = `${path}\0${oid}`;
      const pair = found.get(id) ?? { path, oid, groups: new Set<string>() };
      pair.groups.add(key);
      found.set(id, pair);
      if (found.size > MAX_PUSHED_FILES) return `the push adds more than ${MAX_PUSHED_FILES} files; split it`;
    }
  }
  const tracked = new Map<string, Set<string>>();
  for (const [key, group] of groups) {
    tracked.set(key, await lfsTrackedPaths(gitDir, group.commit, [...group.paths], tmpDir, env));
  }
  return [...found.values()].map(({ path, oid, groups: keys }) => ({
    path,
    oid,
    lfsPath: [...keys].some((k) => tracked.get(k)?.has(path) === true),
  }));
}

/** The blobs of a commit's tree (`ls-tree -r`), and its `.gitattributes` files as `path@oid`. */
async function listTree(
  gitDir: string,
  commit: string,
  env: Record<string, string>,
): Promise<{ blobs: TreeListing; attributeFiles: string[] }> {
  const tree = await runGit(gitDir, ["ls-tree", "-r", "-z", "--full-tree", commit], { env });
  const blobs: TreeListing = new Map();
  const attributeFiles: string[] = [];
  for (const entry of tree.toString("utf8").split("\0")) {
    const m = /^(\d+) blob ([0-9a-f]{40})\t(.+)$/s.exec(entry);
    if (!m) continue;
    const [, , oid, path] = m as unknown as [string, string, string, string];
    blobs.set(path, oid);
    if (path === ".gitattributes" || path.endsWith("/.gitattributes")) attributeFiles.push(`${path}@${oid}`);
  }
  return { blobs, attributeFiles };
}
