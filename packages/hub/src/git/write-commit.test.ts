import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { branchHead, initBareRepo, listTree, readBlob, writeBlob } from "./git-repo.js";
import { objectId, writeLooseObject } from "./loose-objects.js";
import { RefUpdater } from "./ref-updater.js";
import { GitError, runGit } from "./run-git.js";
import { writeCommit } from "./write-commit.js";

describe("writeCommit", () => {
  let dir = "";
  let gitDir = "";
  const author = { name: "alice", email: "alice@example.invalid" };
  const refs = new RefUpdater();

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "write-commit-"));
    gitDir = join(dir, "r.git");
    await initBareRepo(gitDir);
  });
  afterEach(async () => {
    refs.closeAll();
    await rm(dir, { recursive: true, force: true });
  });

  const commitOne = async (parent: string | undefined, content: string) => {
    const oid = await writeBlob(gitDir, Buffer.from(content));
    return writeCommit({
      gitDir,
      ref: "refs/heads/main",
      parent,
      files: new Map([["dir/file name.txt", { mode: "100644", oid }]]),
      message: "m",
      author,
      refs,
    });
  };

  it("writes a commit and moves the branch to it", async () => {
    const first = await commitOne(undefined, "one");
    expect(await branchHead(gitDir, "main")).toBe(first);
    const second = await commitOne(first, "two");
    expect(await branchHead(gitDir, "main")).toBe(second);
    const [entry] = await listTree(gitDir, second, { path: "dir/file name.txt" });
    expect(entry?.oid).toBe(objectId("blob", Buffer.from("two")));
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
      expect(await writeBlob(gitDir, Buffer.from(content))).toBe(objectId("blob", Buffer.from(content)));
    }
  });

  it("writes trees and commits that git fsck accepts, sorted as git sorts them", async () => {
    const blob = await writeLooseObject(gitDir, "blob", Buffer.from("x"));
    const exec = await writeLooseObject(gitDir, "blob", Buffer.from("#!/bin/sh\n"));
    const paths = ["a.b", "a/c", "a-b", "a0", "a/b/c.txt", "Z", "é/ü.bin", "sp ace/f"];
    const files = new Map(paths.map((p) => [p, { mode: "100644", oid: blob }]));
    files.set("run.sh", { mode: "100755", oid: exec });
    const commit = await writeCommit({
      gitDir,
      ref: "refs/heads/main",
      parent: undefined,
      files,
      message: "m",
      author,
      refs,
    });
    await runGit(gitDir, ["fsck", "--strict", "--no-dangling"]);
    const listed = await listTree(gitDir, commit, { recursive: true });
    expect(
      listed
        .filter((e) => e.type === "blob")
        .map((e) => e.path)
        .sort(),
    ).toEqual([...paths, "run.sh"].sort());
    expect(listed.find((e) => e.path === "run.sh")?.mode).toBe("100755");
    const log = await runGit(gitDir, ["log", "--format=%an <%ae>%n%s", "main"]);
    expect(log.toString()).toBe("alice <alice@example.invalid>\nm\n");
  });
});
