import { HUB_FIXED_LIMITS } from "../limits.js";
import { runGit } from "./run-git.js";

/** One commit of a history listing. */
export interface LogEntry {
  oid: string;
  title: string;
  message: string;
  /** ISO-8601 committer date. */
  date: string;
  authorName: string;
}

/** `skip` then at most `limit` commits reachable from `commit`, newest first. */
export async function listCommits(
  gitDir: string,
  commit: string,
  options: { skip: number; limit: number },
): Promise<LogEntry[]> {
  const out = await runGit(gitDir, [
    "log",
    "-z",
    `--skip=${options.skip}`,
    `--max-count=${options.limit}`,
    "--format=%H%x00%cI%x00%an%x00%B",
    commit,
    "--",
  ]);
  // Records end with NUL (from -z); fields are separated by NUL: oid, date, author, message.
  const fields = out.toString("utf8").split("\0");
  const entries: LogEntry[] = [];
  for (let i = 0; i + 3 < fields.length; i += 4) {
    const oid = (fields[i] ?? "").replace(/^\n/, "");
    const message = (fields[i + 3] ?? "").trim();
    entries.push({
      oid,
      date: new Date(fields[i + 1] ?? "").toISOString(),
      authorName: fields[i + 2] ?? "",
      message,
      title: message.split("\n", 1)[0] ?? "",
    });
  }
  return entries;
}

/** The best common ancestor of two commits, or undefined when their histories are unrelated. */
export async function mergeBase(gitDir: string, a: string, b: string): Promise<string | undefined> {
  try {
    const out = await runGit(gitDir, ["merge-base", "--end-of-options", a, b]);
    return out.toString("utf8").trim() || undefined;
  } catch {
    // git exits 1 when there is no common ancestor.
    return undefined;
  }
}

/** Bytes of a diff a discussion page shows; the rest is cut (CWE-770). */
export const MAX_DIFF_BYTES = HUB_FIXED_LIMITS.maxDiffBytes;

/** The unified diff between two commits (binary files named, not shown), cut at `MAX_DIFF_BYTES`. */
export async function diffCommits(gitDir: string, from: string, to: string): Promise<string> {
  const out = await runGit(gitDir, ["diff", "--no-color", "--no-ext-diff", "--no-renames", from, to, "--"]);
  if (out.length <= MAX_DIFF_BYTES) return out.toString("utf8");
  return `${out.subarray(0, MAX_DIFF_BYTES).toString("utf8")}\n[diff cut at ${MAX_DIFF_BYTES} bytes]\n`;
}
