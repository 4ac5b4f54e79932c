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
