import { describe, expect, it } from "vitest";
import { HubError } from "../hub-error.js";
import { branchMatches, MAX_BRANCH_PATTERNS, parseBranchPatterns } from "./signed-branch-rules.js";

describe("signed branch patterns", () => {
  it("matches names exactly, * within one segment and ** across segments", () => {
    expect(branchMatches("main", "main")).toBe(true);
    expect(branchMatches("main", "main2")).toBe(false);
    expect(branchMatches("release/*", "release/1.0")).toBe(true);
    expect(branchMatches("release/*", "release/1.0/hotfix")).toBe(false);
    expect(branchMatches("release/**", "release/1.0/hotfix")).toBe(true);
    // Dots are literal, not regular-expression wildcards.
    expect(branchMatches("v1.0", "v1x0")).toBe(false);
  });

  it("accepts the limit of patterns and refuses one more, and refuses names that are not branch patterns", () => {
    const names = Array.from({ length: MAX_BRANCH_PATTERNS }, (_, i) => `b${i}`);
    expect(parseBranchPatterns(names)).toHaveLength(MAX_BRANCH_PATTERNS);
    expect(() => parseBranchPatterns([...names, "one-more"])).toThrow(HubError);
    for (const bad of ["", "a b", "/main", "main/", "a//b", "x[0]", 7]) {
      expect(() => parseBranchPatterns([bad]), String(bad)).toThrow(/not a branch name or pattern/);
    }
    expect(parseBranchPatterns(["refs/heads/main", "main"])).toEqual(["main"]);
  });
});
