import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrationProvider } from "../db/migrations.js";
import { openDatabase } from "../db/open-database.js";
import { HubError } from "../hub-error.js";
import {
  branchMatches,
  branchRulesFor,
  MAX_BRANCH_PATTERNS,
  parseBranchPatterns,
  readBranchRules,
  writeBranchRules,
} from "./branch-rules.js";

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

describe("branch rules table", () => {
  it("keeps signed-commit rules made before the no-force-push rule existed, and keeps the two rules apart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "modelgate-rules-"));
    try {
      // A database as the previous release left it: migrations up to 0007, one signed-commit rule.
      const old = new Kysely<unknown>({
        dialect: new SqliteDialect({ database: new SQLite(join(dir, "hub.sqlite")) }),
      });
      const migrated = await new Migrator({ db: old, provider: migrationProvider("sqlite") }).migrateTo(
        "0007_signing_keys",
      );
      expect(migrated.error).toBeUndefined();
      await sql`insert into signed_branch_rules (scope, scope_id, pattern) values ('org', 7, 'release/*')`.execute(
        old,
      );
      await old.destroy();

      const db = await openDatabase({ dataDir: dir });
      expect(await readBranchRules(db, "signed-commits", "org", 7)).toEqual(["release/*"]);
      expect(await readBranchRules(db, "no-force-push", "org", 7)).toEqual([]);
      await writeBranchRules(db, "no-force-push", "repo", 3, ["main", "release/*"]);
      expect(await branchRulesFor(db, "no-force-push", { id: 3, ownerId: 7 })).toEqual(
        expect.arrayContaining(["main", "release/*"]),
      );
      expect(await branchRulesFor(db, "signed-commits", { id: 3, ownerId: 7 })).toEqual(["release/*"]);
      await writeBranchRules(db, "no-force-push", "repo", 3, []);
      expect(await branchRulesFor(db, "signed-commits", { id: 3, ownerId: 7 })).toEqual(["release/*"]);
      await db.destroy();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
