import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { badInput } from "../hub-error.js";
import { HUB_FIXED_LIMITS } from "../limits.js";

/**
 * Rules a repository or an organisation sets on chosen branches (by name or pattern):
 * - `signed-commits`: every commit a push adds must be Verified (see `checkSignedPush`);
 * - `no-force-push`: the branch only moves forward; non-fast-forward updates and deletions are refused,
 *   by git pushes and by the HTTP API alike (see `history-guard.ts`).
 * Each rule is a list of patterns per scope; an organisation's patterns apply to all its repositories.
 */
export type BranchRule = "signed-commits" | "no-force-push";
export const BRANCH_RULES: readonly BranchRule[] = ["signed-commits", "no-force-push"];

/** Patterns per rule and repository or organisation (CWE-770). */
export const MAX_BRANCH_PATTERNS = HUB_FIXED_LIMITS.maxBranchPatterns;
/** `*` matches within one path segment (`release/*`), `**` across segments; the rest as in git ref names. */
const PATTERN = /^[A-Za-z0-9._/*-]{1,100}$/;

/** The first of `patterns` that `branch` (without `refs/heads/`) matches, or undefined. */
export function matchingRule(patterns: readonly string[], branch: string): string | undefined {
  return patterns.find((p) => branchMatches(p, branch));
}

/** Checks and normalises a list of branch patterns (`main`, `release/*`); throws a 400 naming the bad one. */
export function parseBranchPatterns(value: unknown): string[] {
  if (!Array.isArray(value)) throw badInput("branches must be an array of branch names or patterns");
  if (value.length > MAX_BRANCH_PATTERNS) throw badInput(`at most ${MAX_BRANCH_PATTERNS} branch patterns`);
  const patterns = value.map((p) => {
    if (
      typeof p !== "string" ||
      !PATTERN.test(p) ||
      p.startsWith("/") ||
      p.endsWith("/") ||
      p.includes("//")
    ) {
      throw badInput(`${JSON.stringify(p)} is not a branch name or pattern (letters, digits, . _ - / and *)`);
    }
    return p.replace(/^refs\/heads\//, "");
  });
  return [...new Set(patterns)];
}

/** Whether `branch` (without `refs/heads/`) matches `pattern`. */
export function branchMatches(pattern: string, branch: string): boolean {
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) =>
      part === "**" ? ".*" : part === "*" ? "[^/]*" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${source}$`).test(branch);
}

/** The patterns of one rule set on one repository or organisation. */
export async function readBranchRules(
  db: Kysely<Database>,
  rule: BranchRule,
  scope: "repo" | "org",
  scopeId: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom("branch_rules")
    .select("pattern")
    .where("rule", "=", rule)
    .where("scope", "=", scope)
    .where("scope_id", "=", scopeId)
    .orderBy("pattern")
    .execute();
  return rows.map((r) => r.pattern);
}

/** Replaces the patterns of one rule of one repository or organisation (an empty list removes the rule). */
export async function writeBranchRules(
  db: Kysely<Database>,
  rule: BranchRule,
  scope: "repo" | "org",
  scopeId: number,
  patterns: string[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom("branch_rules")
      .where("rule", "=", rule)
      .where("scope", "=", scope)
      .where("scope_id", "=", scopeId)
      .execute();
    if (patterns.length > 0) {
      await trx
        .insertInto("branch_rules")
        .values(patterns.map((pattern) => ({ rule, scope, scope_id: scopeId, pattern })))
        .execute();
    }
  });
}

/** Every pattern of one rule that applies to a repository: its own and its owning organisation's. */
export async function branchRulesFor(
  db: Kysely<Database>,
  rule: BranchRule,
  repo: { id: number; ownerId: number },
): Promise<string[]> {
  const rows = await db
    .selectFrom("branch_rules")
    .select("pattern")
    .where("rule", "=", rule)
    .where((eb) =>
      eb.or([
        eb.and([eb("scope", "=", "repo"), eb("scope_id", "=", repo.id)]),
        eb.and([eb("scope", "=", "org"), eb("scope_id", "=", repo.ownerId)]),
      ]),
    )
    .execute();
  return [...new Set(rows.map((r) => r.pattern))];
}
