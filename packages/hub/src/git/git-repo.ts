import { mkdir, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { Readable } from "node:stream";
import { runGit, streamGit } from "./run-git.js";

/** One entry of a tree as `git ls-tree -l` prints it. */
export interface TreeEntry {
  mode: string;
  type: "blob" | "tree" | "commit";
  oid: string;
  /** Blob size in bytes (0 for trees). */
  size: number;
  path: string;
}

/** A commit as the tree listing shows it (`lastCommit`). */
export interface CommitInfo {
  oid: string;
  title: string;
  /** ISO-8601 committer date. */
  date: string;
}

/** The old value `git update-ref` expects for a ref that must not exist yet. */
export const ZERO_OID = "0000000000000000000000000000000000000000";
const OID_RE = /^[0-9a-f]{40}$/;

/** Creates a bare repository whose default branch is `main`. */
export async function initBareRepo(gitDir: string): Promise<void> {
  await mkdir(dirname(gitDir), { recursive: true });
  await runGit(gitDir, ["init", "--bare", "--quiet", "--initial-branch=main", gitDir]);
}

/** Removes a repository directory. */
export async function removeRepoDir(gitDir: string): Promise<void> {
  await rm(gitDir, { recursive: true, force: true });
}

/**
 * The refs a revision may name, in the order they are tried: `HEAD` and full commit ids as they
 * are; full ref names (`refs/heads/x`, `refs/tags/v1`, `refs/pr/3`) as they are; a short name is a
 * branch first, then a tag, as on the Hub.
 */
export function candidateRefs(rev: string): string[] {
  if (rev === "HEAD" || OID_RE.test(rev) || rev.startsWith("refs/")) return [rev];
  return [`refs/heads/${rev}`, `refs/tags/${rev}`];
}

/**
 * Resolves a branch, tag, pull-request ref or full commit id to a commit id (a tag is peeled to
 * its commit), or undefined when there is none. `rev` must already be validated (see
 * `isValidRevision`); `HEAD` means the default branch.
 */
export async function resolveRevision(gitDir: string, rev: string): Promise<string | undefined> {
  for (const ref of candidateRefs(rev)) {
    const oid = await peelToCommit(gitDir, ref);
    if (oid) return oid;
  }
  return undefined;
}

async function peelToCommit(gitDir: string, ref: string): Promise<string | undefined> {
  try {
    const out = await runGit(gitDir, [
      "rev-parse",
      "--verify",
      "--quiet",
      "--end-of-options",
      `${ref}^{commit}`,
    ]);
    const oid = out.toString("utf8").trim();
    return OID_RE.test(oid) ? oid : undefined;
  } catch {
    return undefined;
  }
}

/** The commit a branch (`main`) or full ref (`refs/pr/1`) points at, or undefined when it does not exist. */
export async function branchHead(gitDir: string, branch: string): Promise<string | undefined> {
  return peelToCommit(gitDir, branch.startsWith("refs/") ? branch : `refs/heads/${branch}`);
}

/**
 * Lists a tree. With `path` undefined the root is listed; otherwise `path` itself (a file or a folder
 * entry). `recursive` lists everything below, folders included.
 */
export async function listTree(
  gitDir: string,
  commit: string,
  options: { path?: string; recursive?: boolean; children?: boolean } = {},
): Promise<TreeEntry[]> {
  const args = ["ls-tree", "-z", "-l", "--full-tree"];
  if (options.recursive) args.push("-r", "-t");
  args.push(commit, "--");
  if (options.path !== undefined) args.push(options.children ? `${options.path}/` : options.path);
  const out = await runGit(gitDir, args);
  return parseLsTree(out);
}

function parseLsTree(out: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let start = 0;
  while (start < out.length) {
    let end = out.indexOf(0, start);
    if (end < 0) end = out.length;
    const line = out.subarray(start, end).toString("utf8");
    start = end + 1;
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    const [mode = "", type = "", oid = "", size = ""] = line.slice(0, tab).split(/ +/);
    if (type !== "blob" && type !== "tree" && type !== "commit") continue;
    entries.push({ mode, type, oid, size: type === "blob" ? Number(size) : 0, path: line.slice(tab + 1) });
  }
  return entries;
}

/** Reads a whole blob (regular files only: LFS content lives in the LFS store). */
export async function readBlob(gitDir: string, oid: string): Promise<Buffer> {
  return runGit(gitDir, ["cat-file", "blob", oid]);
}

/** Streams a blob's content (for blobs too large to hold whole). */
export function blobStream(gitDir: string, oid: string): Readable {
  return streamGit(gitDir, ["cat-file", "blob", oid]);
}

/** Writes a blob into the object database and returns its id. */
export async function writeBlob(gitDir: string, content: Uint8Array): Promise<string> {
  const out = await runGit(gitDir, ["hash-object", "-w", "--stdin"], { input: content });
  return out.toString("utf8").trim();
}

/** Commit metadata (id, first line of the message, committer date). */
export async function commitInfo(gitDir: string, commit: string): Promise<CommitInfo> {
  const out = await runGit(gitDir, ["show", "-s", "--format=%H%x00%s%x00%cI", commit]);
  return parseCommitLine(out.toString("utf8").trim());
}

/** The last commit that touched `path` at or before `commit`. */
export async function lastCommitFor(
  gitDir: string,
  commit: string,
  path: string,
): Promise<CommitInfo | undefined> {
  const out = await runGit(gitDir, ["log", "-1", "--format=%H%x00%s%x00%cI", commit, "--", path]);
  const line = out.toString("utf8").trim();
  return line ? parseCommitLine(line) : undefined;
}

function parseCommitLine(line: string): CommitInfo {
  const [oid = "", title = "", date = ""] = line.split("\0");
  return { oid, title, date: new Date(date).toISOString() };
}
