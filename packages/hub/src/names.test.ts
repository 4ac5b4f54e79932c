import { describe, expect, it } from "vitest";
import { HubError } from "./hub-error.js";
import { assertRepoPath, isValidName, isValidRefName, isValidRevision } from "./names.js";

describe("isValidName", () => {
  it("accepts the Hub's usual names", () => {
    for (const n of ["bert-base-uncased", "gpt2", "Llama_3.1-8B", "a", "a".repeat(96)])
      expect(isValidName(n)).toBe(true);
  });
  it("rejects names breaking the Hub's rules", () => {
    for (const n of [
      "",
      "a--b",
      "a..b",
      "-a",
      "a-",
      ".a",
      "a.",
      "a/b",
      "a b",
      "x.git",
      "a".repeat(97),
      "é",
    ]) {
      expect(isValidName(n)).toBe(false);
    }
  });
});

describe("isValidRevision", () => {
  it("accepts branches and commit ids", () => {
    for (const r of ["main", "refs/pr/1", "v1.0", "0123456789abcdef0123456789abcdef01234567"]) {
      expect(isValidRevision(r)).toBe(true);
    }
  });
  it("rejects option injection and ref tricks", () => {
    for (const r of [
      "--output=/tmp/x",
      "-n",
      "a..b",
      "main@{1}",
      "a.lock",
      "a/",
      "",
      "a b",
      "x".repeat(256),
    ]) {
      expect(isValidRevision(r)).toBe(false);
    }
  });
});

describe("isValidRefName", () => {
  it("accepts the branch and tag names people use", () => {
    for (const r of ["dev", "v1.0", "feature/tokenizer", "release_2024-01", "a".repeat(255)]) {
      expect(isValidRefName(r)).toBe(true);
    }
  });
  it("rejects names git refuses or that would shadow a commit id, HEAD or a full ref", () => {
    for (const r of [
      "HEAD",
      "refs/pr/1",
      "refs/heads/main",
      "0123456789abcdef0123456789abcdef01234567",
      "a//b",
      "feature/.hidden",
      "a.lock/b",
      "a..b",
      "-x",
      "a".repeat(256),
    ]) {
      expect(isValidRefName(r)).toBe(false);
    }
  });
});

describe("assertRepoPath", () => {
  const limits = { maxPathBytes: 16 };
  it("accepts a relative path at the byte limit", () => {
    expect(assertRepoPath("dir/sub/file.bin", limits)).toBe("dir/sub/file.bin");
  });
  it("rejects a path one byte over the limit (counted in UTF-8 bytes)", () => {
    expect(() => assertRepoPath("dir/sub/file.bin1", limits)).toThrow(HubError);
    expect(() => assertRepoPath("é".repeat(9), limits)).toThrow(/longer than 16 bytes/);
  });
  it.each(["../x", "a/../../x", "/abs", "./x", "a//b", ".git/config", "a/.Git/x", "a\\b", "a\nb", "", 42])(
    "rejects %j",
    (p) => {
      expect(() => assertRepoPath(p, limits)).toThrow(HubError);
    },
  );
});
