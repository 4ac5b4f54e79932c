import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isDotGitName } from "./dotgit-name.js";

const EMPTY_BLOB = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";

/** Names around git's rules: each is put in a tree of its own and judged by the real `git fsck`. */
const NAMES = [
  ".git",
  ".GIT",
  ".Git",
  ".git.",
  ".git ",
  ".git. .",
  ".git...",
  "git~1",
  "GIT~1",
  "git~1.",
  "Git~1 ",
  ".g\u200cit",
  ".git\u200d",
  "\ufeff.git",
  ".g\u206ai\u202et",
  // Not .git on any disk: git accepts them.
  ".gitx",
  ".git.x",
  ".git x",
  "git~2",
  "git~1x",
  "git~10",
  "git",
  "git.",
  "..git",
  "x.git",
  ".gitignore",
  ".gitattributes",
  "\u0131git~1",
  ".g\u00edt",
  ".g\u200bit",
  "model.safetensors",
];

/** Names of trees `git fsck` reports with hasDotgit, as the real git judges them. */
function fsckDotGit(names: readonly string[]): Set<string> {
  const dir = mkdtempSync(join(tmpdir(), "modelgate-fsck-"));
  try {
    const git = (args: string[], input?: string) =>
      execFileSync("git", ["--git-dir", dir, ...args], { input, encoding: "utf8", stdio: "pipe" });
    execFileSync("git", ["init", "--bare", "--quiet", dir]);
    git(["hash-object", "-w", "--stdin"], "");
    const byTree = new Map<string, string>();
    for (const name of names)
      byTree.set(git(["mktree"], `100644 blob ${EMPTY_BLOB}\t${name}\n`).trim(), name);
    // fsck prints hasDotgit as a warning (stderr) and may exit non-zero for other reasons: read it all.
    const fsck = spawnSync("git", ["--git-dir", dir, "fsck", "--no-dangling"], { encoding: "utf8" });
    const flagged = new Set<string>();
    for (const m of `${fsck.stdout}\n${fsck.stderr}`.matchAll(/in tree ([0-9a-f]{40}): hasDotgit/g)) {
      const name = m[1] !== undefined ? byTree.get(m[1]) : undefined;
      if (name !== undefined) flagged.add(name);
    }
    return flagged;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("isDotGitName", () => {
  it("agrees with the real git fsck (hasDotgit) on every name", () => {
    const flagged = fsckDotGit(NAMES);
    expect(flagged.size).toBeGreaterThan(10);
    for (const name of NAMES) expect(isDotGitName(name), JSON.stringify(name)).toBe(flagged.has(name));
  });
});
