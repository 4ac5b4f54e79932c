import type { TreeFile } from "../git/loose-objects.js";

/** A branch's head and its complete file list, as the hub last wrote or read them. */
export interface BranchState {
  head: string;
  files: ReadonlyMap<string, TreeFile>;
}

/**
 * Remembers the state of recently committed-to branches so a commit needs no git read first. It is
 * only a hint: `git update-ref` checks the real head, and a commit that fails on a cached state is
 * retried on a fresh read. At most `maxBranches` are kept (least recently used dropped) (CWE-770).
 */
export class BranchCache {
  private readonly states = new Map<string, BranchState>();

  constructor(private readonly maxBranches = 256) {}

  get(gitDir: string, branch: string): BranchState | undefined {
    const key = `${gitDir}\0${branch}`;
    const state = this.states.get(key);
    if (state) {
      this.states.delete(key);
      this.states.set(key, state);
    }
    return state;
  }

  set(gitDir: string, branch: string, state: BranchState): void {
    const key = `${gitDir}\0${branch}`;
    this.states.delete(key);
    this.states.set(key, state);
    if (this.states.size > this.maxBranches) {
      const oldest = this.states.keys().next();
      if (!oldest.done) this.states.delete(oldest.value);
    }
  }

  /** Forgets every branch of a repository (deleted or re-created). */
  forgetRepo(gitDir: string): void {
    for (const key of [...this.states.keys()]) if (key.startsWith(`${gitDir}\0`)) this.states.delete(key);
  }

  forget(gitDir: string, branch: string): void {
    this.states.delete(`${gitDir}\0${branch}`);
  }
}
