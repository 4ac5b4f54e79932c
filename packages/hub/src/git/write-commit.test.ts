import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { gitVerify, gnupgHomeWith } from "../../test/git-verify.js";
import type { HubSigningKey } from "../signing/hub-signing-key.js";
import { testSigningKey } from "../signing/test-helpers/test-signing-key.js";
import { branchHead, initBareRepo, listTree, readBlob, writeBlob } from "./git-repo.js";
import { objectId, writeLooseObject } from "./loose-objects.js";
import { RefRaceError, RefUpdater } from "./ref-updater.js";
import { GitError, runGit } from "./run-git.js";
import { withOnBehalfOf, writeCommit } from "./write-commit.js";

describe("writeCommit", () => {
  let dir = "";
  let gitDir = "";
  const author = { name: "alice", email: "alice@example.invalid" };
  const refs = new RefUpdater();
  let signer: HubSigningKey;
  let disposeKey = async () => {};

  beforeAll(async () => {
    const made = await testSigningKey();
    signer = made.key;
    disposeKey = made.dispose;
  });
  afterAll(() => disposeKey());

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
      signer,
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

  it("tells a lost race (moved meanwhile, or locked by another writer) from other git failures", async () => {
    const first = await commitOne(undefined, "one");
    await expect(commitOne(undefined, "two")).rejects.toBeInstanceOf(RefRaceError);
    // Another hub process on the same data folder in the middle of its own update-ref transaction.
    const lock = join(gitDir, "refs", "heads", "main.lock");
    await writeFile(lock, "");
    await expect(commitOne(first, "three")).rejects.toBeInstanceOf(RefRaceError);
    await rm(lock);
    const missing = "1".repeat(40);
    const refused = refs.update(gitDir, "refs/heads/main", missing, first);
    await expect(refused).rejects.toBeInstanceOf(GitError);
    await expect(refused).rejects.not.toBeInstanceOf(RefRaceError);
    expect(await branchHead(gitDir, "main")).toBe(first);
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
      signer,
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
    const log = await runGit(gitDir, ["log", "--format=%an <%ae>%n%cn <%ce>%n%B", "main"]);
    expect(log.toString()).toBe(
      "alice <alice@example.invalid>\nmodelgate hub <hub@hub.example.test>\nm\n\nOn-behalf-of: alice <alice@example.invalid>\n\n",
    );
  });

  it("signs commits so that git verify-commit says Good signature with the hub's public key only", async () => {
    const first = await commitOne(undefined, "one");
    const second = await commitOne(first, "two");
    const gnupg = await gnupgHomeWith(signer.publicKeyArmored);
    try {
      for (const commit of [first, second]) {
        const verified = await gitVerify(gitDir, commit, gnupg.env);
        expect(verified.code, verified.err).toBe(0);
        expect(verified.err).toContain(`[GNUPG:] GOODSIG`);
        expect(verified.err).toContain(`[GNUPG:] VALIDSIG ${signer.fingerprint}`);
      }
      // git itself parses the header back out: a good signature (U: good, from a key the user has
      // imported but not certified), made by the hub's key.
      const shown = await runGit(gitDir, ["log", "-1", "--format=%G? %GF %GS", "main"], { env: gnupg.env });
      expect(shown.toString()).toBe(`U ${signer.fingerprint} modelgate hub <hub@hub.example.test>\n`);
      await runGit(gitDir, ["fsck", "--strict", "--no-dangling"]);
    } finally {
      await gnupg.dispose();
    }
  });

  it("fails verification of a tampered commit and without the hub's key", async () => {
    const commit = await commitOne(undefined, "one");
    const raw = (await runGit(gitDir, ["cat-file", "commit", commit])).toString("utf8");
    // Same signature, another message: what a forger who re-writes history gets.
    const forged = raw.replace("\nm\n", "\nevil\n");
    const forgedOid = (
      await runGit(gitDir, ["hash-object", "-t", "commit", "-w", "--stdin"], { input: forged })
    )
      .toString()
      .trim();
    const gnupg = await gnupgHomeWith(signer.publicKeyArmored);
    const other = await testSigningKey();
    const stranger = await gnupgHomeWith(other.key.publicKeyArmored);
    try {
      const bad = await gitVerify(gitDir, forgedOid, gnupg.env);
      expect(bad.code).not.toBe(0);
      expect(bad.err).toContain("[GNUPG:] BADSIG");
      const unknown = await gitVerify(gitDir, commit, stranger.env);
      expect(unknown.code).not.toBe(0);
      expect(unknown.err).toContain("[GNUPG:] NO_PUBKEY");
    } finally {
      await gnupg.dispose();
      await stranger.dispose();
      await other.dispose();
    }
  });
});

describe("withOnBehalfOf", () => {
  const alice = { name: "alice", email: "alice@users.noreply.modelgate" };
  it("adds the trailer in a paragraph of its own after a summary or a description", () => {
    expect(withOnBehalfOf("Add model", alice)).toBe(
      "Add model\n\nOn-behalf-of: alice <alice@users.noreply.modelgate>\n",
    );
    expect(withOnBehalfOf("Add model\n\nWeights: v2 of the run\nmore\n\n", alice)).toBe(
      "Add model\n\nWeights: v2 of the run\nmore\n\nOn-behalf-of: alice <alice@users.noreply.modelgate>\n",
    );
  });
  it("joins an existing trailer block", () => {
    expect(withOnBehalfOf("Add model\n\nSigned-off-by: a <a@b>", alice)).toBe(
      "Add model\n\nSigned-off-by: a <a@b>\nOn-behalf-of: alice <alice@users.noreply.modelgate>\n",
    );
  });
});
