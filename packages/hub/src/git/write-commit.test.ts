import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { blobOid } from "./blob-oid.js";
import { branchHead, initBareRepo, listTree, readBlob, writeBlob } from "./git-repo.js";
import { GitError } from "./run-git.js";
import { writeCommit } from "./write-commit.js";

describe("writeCommit", () => {
  let dir = "";
  let gitDir = "";
  const author = { name: "alice", email: "alice@example.invalid" };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "write-commit-"));
    gitDir = join(dir, "r.git");
    await initBareRepo(gitDir);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const commitOne = async (parent: string | undefined, content: string) => {
    const oid = await writeBlob(gitDir, Buffer.from(content));
    return writeCommit({
      gitDir,
      tmpDir: dir,
      branch: "main",
      parent,
      files: new Map([["dir/file name.txt", { mode: "100644", oid }]]),
      message: "m",
      author,
    });
  };

  it("writes a commit and moves the branch to it", async () => {
    const first = await commitOne(undefined, "one");
    expect(await branchHead(gitDir, "main")).toBe(first);
    const second = await commitOne(first, "two");
    expect(await branchHead(gitDir, "main")).toBe(second);
    const [entry] = await listTree(gitDir, second, { path: "dir/file name.txt" });
    expect(entry?.oid).toBe(blobOid(Buffer.from("two")));
    expect((await readBlob(gitDir, entry?.oid ?? "")).toString()).toBe("two");
  });

  it("refuses to move a branch that moved meanwhile, leaving it unchanged", async () => {
    const first = await commitOne(undefined, "one");
    const second = await commitOne(first, "two");
    await expect(commitOne(first, "three")).rejects.toBeInstanceOf(GitError);
    await expect(commitOne(undefined, "four")).rejects.toBeInstanceOf(GitError);
    expect(await branchHead(gitDir, "main")).toBe(second);
  });

  it("computes the same blob ids as git", async () => {
    for (const content of ["", "a", "x".repeat(10_000)]) {
      expect(await writeBlob(gitDir, Buffer.from(content))).toBe(blobOid(Buffer.from(content)));
    }
  });
});
