import { type ChildProcess, spawn } from "node:child_process";
import type { Readable } from "node:stream";

/** A git command that exited non-zero; `stderr` is kept for logs, never shown to clients verbatim. */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args[0] ?? ""} failed (exit ${exitCode}): ${stderr.trim().slice(0, 500)}`);
    this.name = "GitError";
  }
}

/** Input and environment of one git command. */
export interface RunGitOptions {
  /** Bytes written to git's standard input. */
  input?: Uint8Array | string;
  /** Extra environment (author, index file). */
  env?: Record<string, string>;
}

/**
 * Runs the real `git` binary against a bare repository and returns its standard output.
 * The user's and system's git configuration are ignored so the hub behaves the same everywhere.
 */
export function runGit(
  gitDir: string,
  args: readonly string[],
  options: RunGitOptions = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(gitDir, args, options.env, "pipe");
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new GitError(args, code, Buffer.concat(err).toString("utf8")));
    });
    // git may exit before reading all input (e.g. a bad object); the close handler reports that.
    child.stdin?.on("error", () => {});
    child.stdin?.end(options.input ?? "");
  });
}

/**
 * Runs git and hands out its standard output as a stream (large blobs are never held whole). The
 * stream fails with a `GitError` when git exits non-zero.
 */
export function streamGit(gitDir: string, args: readonly string[]): Readable {
  const child = spawnGit(gitDir, args, undefined, "ignore");
  const stdout = child.stdout as Readable;
  const err: Buffer[] = [];
  child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
  child.on("error", (e) => stdout.destroy(e));
  child.on("exit", (code) => {
    if (code !== 0) stdout.destroy(new GitError(args, code, Buffer.concat(err).toString("utf8")));
  });
  return stdout;
}

/** Spawns git with the hub's fixed environment: the user's and system's configuration are ignored. */
function spawnGit(
  gitDir: string,
  args: readonly string[],
  env: Record<string, string> | undefined,
  stdin: "pipe" | "ignore",
): ChildProcess & { stdout: Readable; stderr: Readable } {
  return spawn("git", ["--git-dir", gitDir, ...args], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_TERMINAL_PROMPT: "0",
      // Paths from clients are names, never patterns.
      GIT_LITERAL_PATHSPECS: "1",
      LC_ALL: "C",
      ...env,
    },
    stdio: [stdin, "pipe", "pipe"],
  }) as ChildProcess & { stdout: Readable; stderr: Readable };
}
