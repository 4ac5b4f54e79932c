import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { HUB_FIXED_LIMITS } from "../limits.js";
import { GitError } from "./run-git.js";

/**
 * git refused a ref update because the ref was not at the expected old value, or another writer held
 * its lock (`cannot lock ref`): another request or another hub process on the same data folder moved
 * it first. Nothing was changed; the caller may read the ref again and retry.
 */
export class RefRaceError extends GitError {
  override name = "RefRaceError";
}

/** git's message for both a failed compare-and-swap and a lock held by another writer. */
const REF_RACE = /cannot lock ref/;

/** Long-running `git update-ref --stdin` processes kept at once (CWE-770: one per active repository). */
export const MAX_REF_UPDATERS = HUB_FIXED_LIMITS.maxRefUpdaters;
/** An updater idle this long is stopped. */
const IDLE_MS = 30_000;

interface Updater {
  child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
  pending: { resolve: () => void; reject: (err: Error) => void } | undefined;
  idle: NodeJS.Timeout | undefined;
  exited: boolean;
}

/**
 * Moves branches with git's own compare-and-swap, `git update-ref --stdin` transactions (`start`,
 * `update <ref> <new> <old>`, `prepare`, `commit`), through one long-running git process per
 * repository. Spawning git for each commit costs more than the rest of the commit (process
 * creation blocks Node's event loop); git still does the locking and the check of the old value.
 * Callers serialise updates per repository.
 */
export class RefUpdater {
  private readonly updaters = new Map<string, Updater>();

  /**
   * Sets `ref` to `newOid` if it is `oldOid` (all zeros: if it does not exist). Throws `RefRaceError`
   * when the ref is elsewhere or locked by another writer, `GitError` on any other failure.
   */
  async update(gitDir: string, ref: string, newOid: string, oldOid: string): Promise<void> {
    await this.transaction(gitDir, `update ${ref} ${newOid} ${oldOid}`);
  }

  /** Deletes `ref` if it still is `oldOid`. Throws `RefRaceError` or `GitError` otherwise. */
  async delete(gitDir: string, ref: string, oldOid: string): Promise<void> {
    await this.transaction(gitDir, `delete ${ref} ${oldOid}`);
  }

  private async transaction(gitDir: string, command: string): Promise<void> {
    const updater = this.updaterFor(gitDir);
    if (updater.idle) clearTimeout(updater.idle);
    try {
      await new Promise<void>((resolve, reject) => {
        updater.pending = { resolve, reject };
        updater.stdout = "";
        updater.child.stdin.write(`start\n${command}\nprepare\ncommit\n`);
      });
    } finally {
      updater.pending = undefined;
      if (!updater.exited) {
        updater.idle = setTimeout(() => this.close(gitDir), IDLE_MS);
        updater.idle.unref();
      }
    }
  }

  /** Stops the updater of one repository (before it is deleted or re-created). */
  close(gitDir: string): void {
    const updater = this.updaters.get(gitDir);
    if (!updater) return;
    this.updaters.delete(gitDir);
    if (updater.idle) clearTimeout(updater.idle);
    updater.child.stdin.end();
  }

  closeAll(): void {
    for (const gitDir of [...this.updaters.keys()]) this.close(gitDir);
  }

  private updaterFor(gitDir: string): Updater {
    const existing = this.updaters.get(gitDir);
    if (existing && !existing.exited) {
      // Most recently used last, so the oldest is evicted first.
      this.updaters.delete(gitDir);
      this.updaters.set(gitDir, existing);
      return existing;
    }
    if (this.updaters.size >= MAX_REF_UPDATERS) {
      const oldest = this.updaters.keys().next();
      if (!oldest.done) this.close(oldest.value);
    }
    const child = spawn("git", ["--git-dir", gitDir, "update-ref", "--stdin"], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: "/dev/null",
        LC_ALL: "C",
      },
    });
    const updater: Updater = {
      child,
      stdout: "",
      stderr: "",
      pending: undefined,
      idle: undefined,
      exited: false,
    };
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      updater.stdout += chunk;
      if (updater.stdout.includes("commit: ok\n")) updater.pending?.resolve();
    });
    child.stderr.on("data", (chunk: string) => {
      updater.stderr = (updater.stderr + chunk).slice(-4000);
    });
    child.stdin.on("error", () => {});
    const fail = (code: number | null) => {
      updater.exited = true;
      if (this.updaters.get(gitDir) === updater) this.updaters.delete(gitDir);
      const args = ["update-ref", "--stdin"];
      const Failure = REF_RACE.test(updater.stderr) ? RefRaceError : GitError;
      updater.pending?.reject(new Failure(args, code, updater.stderr));
    };
    child.on("error", () => fail(null));
    child.on("close", (code) => fail(code));
    this.updaters.set(gitDir, updater);
    return updater;
  }
}
